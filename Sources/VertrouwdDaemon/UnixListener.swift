#if canImport(Glibc)
import Glibc
#endif

/// A listening Unix stream socket, as `vertrouwd listen` and the submit
/// socket make one: a stale socket at the path is replaced, any other file
/// there is refused (never unlinked).
public enum UnixListener {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// True when something that is not a socket sits at the path.
        public var occupied = false
    }

    /// Binds, sets `mode` and listens; returns the descriptor.
    public static func bind(path: String, mode: mode_t) throws(Failure) -> Int32 {
        var st = stat()
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFSOCK else {
                throw Failure(description: "\(path) exists and is not a socket; not replacing it", occupied: true)
            }
            unlink(path)
        }
        guard path.utf8.count < 108 else { throw Failure(description: "\(path) is too long for a Unix socket (at most 107 bytes)") }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in for (i, b) in path.utf8.enumerated() { buf[i] = b } }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, chmod(path, mode) == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            throw Failure(description: "cannot listen on \(path): \(reason)")
        }
        return fd
    }
}
