/*
 * fsynclat — how long one durable commit costs on this disk: appends a
 * 4 KiB page to a file in the given folder and fdatasync()s it, N times
 * (what a SQLite WAL commit with synchronous=FULL does once per
 * transaction).
 *
 *   fsynclat DIR N   prints "<median ms> <p99 ms> <mean ms>"
 */
#define _GNU_SOURCE
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

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: fsynclat DIR N\n"); return 2; }
    int n = atoi(argv[2]);
    if (n < 1) n = 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/fsynclat.%d", argv[1], (int)getpid());
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) { perror(path); return 1; }
    static char page[4096];
    memset(page, 0x5a, sizeof page);
    double *t = malloc(n * sizeof *t), sum = 0;
    for (int i = 0; i < n; i++) {
        double s = now();
        if (write(fd, page, sizeof page) != sizeof page || fdatasync(fd) != 0) { perror(path); return 1; }
        t[i] = (now() - s) * 1000;
        sum += t[i];
    }
    close(fd);
    unlink(path);
    qsort(t, n, sizeof *t, cmp);
    printf("%.3f %.3f %.3f\n", t[n / 2], t[(int)(n * 0.99)], sum / n);
    return 0;
}
