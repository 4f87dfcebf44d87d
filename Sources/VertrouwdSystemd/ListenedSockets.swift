// ListenedSockets — the Unix stream sockets systemd passed to the daemon
// (socket activation, sd_listen_fds(3)).
//
// Security stance: LISTEN_PID must name this process (libsystemd checks),
// and the LISTEN_* variables are removed so that a child cannot inherit and
// misuse them. Only listening AF_UNIX stream sockets are kept; any other
// descriptor passed is closed, since with the variables gone nothing else
// could ever find it. Logs nothing; the caller logs what it got.
import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// Socket activation.
public enum ListenedSockets {
    /// The listening Unix stream sockets systemd passed (from fd 3 on,
    /// close-on-exec), or an empty array without socket activation.
    /// Unsets LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES. Call it once.
    public static func take() -> [Int32] {
        let count = sd_listen_fds(1)
        guard count > 0 else { return [] }
        let first = Int32(SD_LISTEN_FDS_START)
        var sockets: [Int32] = []
        for fd in first..<(first + count) {
            if sd_is_socket_unix(fd, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0 {
                sockets.append(fd)
            } else {
                close(fd)
            }
        }
        return sockets
    }
}
