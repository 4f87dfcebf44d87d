/*
 * bareloop — the floor for one-signal spool files: what it costs just to
 * take every file of a folder, with no parsing, no claim, no database and
 * no fsync. Lists the folder, then for each file open, read to EOF, close
 * and unlink — the least any spool consumer must do.
 *
 *   bareloop DIR     prints "<files> <seconds>" on standard output
 *
 * Built by Benchmarks/bench.py with the system's C compiler.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: bareloop DIR\n"); return 2; }
    double start = now();
    int dfd = open(argv[1], O_RDONLY | O_DIRECTORY);
    DIR *dir = dfd < 0 ? NULL : fdopendir(dfd);
    if (!dir) { perror(argv[1]); return 1; }
    size_t cap = 1024, n = 0;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = realloc(names, (cap *= 2) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    static char buf[65536];
    long bytes = 0;
    for (size_t i = 0; i < n; i++) {
        int fd = openat(dfd, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) { perror(names[i]); return 1; }
        ssize_t r;
        while ((r = read(fd, buf, sizeof buf)) > 0) bytes += r;
        close(fd);
        if (unlinkat(dfd, names[i], 0) != 0) { perror(names[i]); return 1; }
    }
    double elapsed = now() - start;
    closedir(dir);
    printf("%zu %.6f %ld\n", n, elapsed, bytes);
    return 0;
}
