import Foundation
import Testing
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

extension SystemdEnvironmentTests {
    /// Puts `socketFD` at fd 3 as systemd would, runs `body` with
    /// LISTEN_FDS=1 and LISTEN_PID=us, then puts the old fd 3 back.
    func withSocketAtFD3<T>(_ socketFD: Int32, _ body: () -> T) -> T {
        let saved = fcntl(3, F_DUPFD_CLOEXEC, 100)  // -1: fd 3 was free
        precondition(dup2(socketFD, 3) == 3)
        defer {
            if saved >= 0 {
                dup2(saved, 3)
                close(saved)
            } else {
                close(3)
            }
        }
        return withEnvironment(["LISTEN_FDS": "1", "LISTEN_PID": String(getpid()), "LISTEN_FDNAMES": "submit"]) {
            let result = body()
            #expect(getenv("LISTEN_FDS") == nil)
            #expect(getenv("LISTEN_PID") == nil)
            #expect(getenv("LISTEN_FDNAMES") == nil)
            return result
        }
    }

    @Test func aListeningUnixStreamSocketIsTaken() throws {
        let path = "/tmp/vertrouwd-listen-\(getpid()).sock"
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        #expect(bindUnix(fd, path: path) == 0)
        #expect(listen(fd, 8) == 0)
        let taken = withSocketAtFD3(fd) { () -> ([Int32], Int32) in
            let sockets = ListenedSockets.take()
            // close-on-exec, as sd_listen_fds(1) promises.
            return (sockets, fcntl(3, F_GETFD))
        }
        #expect(taken.0 == [3])
        #expect(taken.1 & FD_CLOEXEC != 0)
    }

    @Test func otherDescriptorsAreNotTaken() throws {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        let taken = withSocketAtFD3(fd) { ListenedSockets.take() }
        #expect(taken == [])
    }

    @Test func withoutSocketActivationNothingIsTaken() {
        withEnvironment(["LISTEN_FDS": nil, "LISTEN_PID": nil]) {
            #expect(ListenedSockets.take() == [])
        }
    }

    @Test func socketsMeantForAnotherProcessAreNotTaken() {
        withEnvironment(["LISTEN_FDS": "1", "LISTEN_PID": String(getpid() + 1)]) {
            #expect(ListenedSockets.take() == [])
        }
    }
}

@Suite struct SocketActivateToolTests {
    /// The end-to-end run through the daemon (`systemd-socket-activate -l
    /// PATH vertrouwd run`) comes with the daemon wiring; here: the tool
    /// is there and passes a socket to a child.
    @Test func systemdSocketActivateIsInstalled() throws {
        let version = try run(["systemd-socket-activate", "--version"])
        #expect(version.status == 0)
        #expect(version.output.contains("systemd"))
    }

    /// The contract take() relies on, as systemd-socket-activate keeps it:
    /// on the first connection the child gets LISTEN_FDS=1, LISTEN_PID=its
    /// own pid and the listening socket at fd 3.
    @Test func systemdSocketActivatePassesTheSocketAtFD3() throws {
        let path = "/tmp/vertrouwd-activate-\(getpid()).sock"
        unlink(path)
        defer { unlink(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "20", "systemd-socket-activate", "-l", path, "sh", "-c",
                             #"echo "fds=$LISTEN_FDS own_pid=$([ "$LISTEN_PID" = "$$" ] && echo yes)"; stat -L -c %F /proc/self/fd/3"#]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var connected = false
        for _ in 0..<100 where !connected {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (i, byte) in path.utf8.enumerated() { buffer[i] = byte }
            }
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
                }
            }
            close(fd)
            if !connected { usleep(50_000) }
        }
        #expect(connected)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output == "fds=1 own_pid=yes\nsocket\n")
    }
}
