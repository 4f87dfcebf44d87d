// CloseOnExec — descriptors that are close-on-exec from the moment they
// exist.
//
// A descriptor made by pipe() or accept() and marked FD_CLOEXEC by a later
// fcntl() is inherited by any child another thread spawns in between (the
// sendmail route runs one at any time). pipe2 and accept4 set the flag in
// the same call. Swift's Glibc module does not export them (they are GNU
// extensions), so they are looked up by name, as Heap does for malloc's
// tunings; where one is missing (another libc) the plain call and fcntl
// are used instead.
import Glibc

/// `pipe2` and `accept4` with close-on-exec.
public enum CloseOnExec {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32

    nonisolated(unsafe) private static let pipe2: Pipe2? = symbol("pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    nonisolated(unsafe) private static let accept4: Accept4? = symbol("accept4").map { unsafeBitCast($0, to: Accept4.self) }

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(dlopen(nil, RTLD_NOW), name)
    }

    /// A pipe whose ends are close-on-exec (and non-blocking when asked):
    /// `pipe2(fds, O_CLOEXEC)`. Nil when the call failed, with `errno` set.
    public static func pipe(nonBlocking: Bool = false) -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        let flags = O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)
        if let pipe2 {
            guard pipe2(&fds, flags) == 0 else { return nil }
        } else {
            guard Glibc.pipe(&fds) == 0 else { return nil }
            for end in fds {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                if nonBlocking { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
            }
        }
        return (fds[0], fds[1])
    }

    /// The next connection on `listener`, close-on-exec:
    /// `accept4(listener, nil, nil, SOCK_CLOEXEC)`. -1 when the call failed,
    /// with `errno` set.
    public static func accept(_ listener: Int32) -> Int32 {
        guard let accept4 else {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return fd
        }
        return accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
    }
}
