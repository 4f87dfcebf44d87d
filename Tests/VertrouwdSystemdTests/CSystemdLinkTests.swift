import CSystemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// CSystemd links against libsystemd and its calls behave as documented
/// when the daemon does not run under systemd. In the serialized
/// environment suite: they change NOTIFY_SOCKET and LISTEN_*.
extension SystemdEnvironmentTests {
    @Test func sdNotifyReturnsZeroWithoutNotifySocket() {
        let saved = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
        unsetenv("NOTIFY_SOCKET")
        defer { if let saved { setenv("NOTIFY_SOCKET", saved, 1) } }
        // 0 means "not running under a service manager": nothing was sent.
        #expect(sd_notify(0, "READY=1") == 0)
    }

    @Test func sdListenFdsIsZeroWithoutSocketActivation() {
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_PID")
        #expect(sd_listen_fds(0) == 0)
    }

    @Test func sdNotifyDeliversToADatagramSocket() throws {
        // The real thing: listen on a datagram socket and let sd_notify send to it.
        let path = "/tmp/vertrouwd-notify-\(getpid()).sock"
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd); unlink(path) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            for (i, b) in path.utf8.enumerated() { buf[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        let saved = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
        setenv("NOTIFY_SOCKET", path, 1)
        defer { if let saved { setenv("NOTIFY_SOCKET", saved, 1) } else { unsetenv("NOTIFY_SOCKET") } }
        #expect(sd_notify(0, "STATUS=smoke test") > 0)
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        #expect(n > 0)
        #expect(String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self) == "STATUS=smoke test")
    }
}
