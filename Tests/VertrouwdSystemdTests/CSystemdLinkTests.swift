import Testing
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

// CSystemd links against libsystemd and sd_notify behaves as documented when
// the daemon does not run under systemd. Through VertrouwdSystemd on
// purpose: a test file here that imported CSystemd could take over the
// socket declarations of <sys/socket.h> from Glibc in a clean build.
extension SystemdEnvironmentTests {
    @Test func sdNotifyReturnsZeroWithoutNotifySocket() {
        let saved = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
        unsetenv("NOTIFY_SOCKET")
        defer { if let saved { setenv("NOTIFY_SOCKET", saved, 1) } }
        // 0 means "not running under a service manager": nothing was sent.
        #expect(SystemdNotifier().send([.ready]) == 0)
    }

    @Test func noSocketsAreTakenWithoutSocketActivation() {
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_PID")
        #expect(ListenedSockets.take().isEmpty)
    }
}
