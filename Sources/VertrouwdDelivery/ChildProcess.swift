// Runs a program with posix_spawn (no shell) and waits for it with waitpid.
// Used instead of Foundation.Process, whose waitUntilExit can hang on Linux
// when several children run at once. The caller's descriptors must be
// close-on-exec; only the ones given here reach the child, as 0, 1 and 2.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct ChildProcess: Sendable {
    enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    struct SpawnError: Error { var errno: Int32 }

    let pid: pid_t

    /// Starts `path` with `arguments`; nil descriptors become /dev/null.
    static func spawn(_ path: String, _ arguments: [String], stdin: Int32? = nil,
                      stdout: Int32? = nil, stderr: Int32? = nil) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, target, flags) in [(stdin, Int32(0), O_RDONLY), (stdout, 1, O_WRONLY), (stderr, 2, O_WRONLY)] {
            if let fd {
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", flags, 0)
            }
        }
        // The calling thread may block signals (Dispatch and NIO threads do),
        // and a child inherits that mask: give it an empty mask and default
        // handlers, or it could never be stopped with SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw SpawnError(errno: rc) }
        return ChildProcess(pid: pid)
    }

    /// Waits for the child to end (blocking).
    func wait() -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .signalled(-1) }
        }
        return Self.decode(status)
    }

    /// The termination if the child has ended, without blocking.
    func poll() -> Termination? {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        return rc == pid ? Self.decode(status) : nil
    }

    private static func decode(_ status: Int32) -> Termination {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signalled(status & 0x7F)
    }
}
