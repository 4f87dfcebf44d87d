import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's NOTIFY_SOCKET.
final class NotifyListener {
    let path: String
    let fd: Int32

    init(path: String) {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in for (i, b) in path.utf8.enumerated() { buf[i] = b } }
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Every datagram received within `seconds`.
    func receive(for seconds: Double) -> [String] {
        var out: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { out.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
        }
        return out
    }
}

extension Integration {
    @Suite struct NotifyTests {
        @Test func readyStatusWatchdogAndStoppingReachTheNotifySocket() throws {
            let h = try DaemonHarness()
            let listener = NotifyListener(path: h.root + "/notify.sock")
            let p = Process()
            p.executableURL = Binary.url
            p.arguments = ["run", "--config", h.configPath]
            var env = ProcessInfo.processInfo.environment
            env["NOTIFY_SOCKET"] = listener.path
            env["WATCHDOG_USEC"] = "2000000"
            env.removeValue(forKey: "WATCHDOG_PID")
            p.environment = env
            p.standardError = Pipe()
            try p.run()
            let first = listener.receive(for: 3.5)
            kill(p.processIdentifier, SIGTERM)
            let last = listener.receive(for: 1.5)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            #expect(first.first == "READY=1\nSTATUS=watching the spool", "\(first)")
            // WATCHDOG_USEC 2 s: a ping about every second, from the loop.
            #expect(first.filter { $0 == "WATCHDOG=1" }.count >= 2, "\(first)")
            #expect(last.contains("STOPPING=1\nSTATUS=stopping"), "\(last)")
        }

        @Test func withoutTheJournalLogsCarryPriorityPrefixes() throws {
            let h = try DaemonHarness()
            try h.start()
            #expect(h.stop() == 0)
            let lines = h.log.split(separator: "\n")
            #expect(!lines.isEmpty)
            // "<N>" with a syslog priority 0…7, as sd-daemon(3) describes.
            #expect(lines.allSatisfy { $0.count > 3 && $0.hasPrefix("<") && $0.dropFirst().first.map { ("0"..."7").contains($0) } == true && $0.dropFirst(2).hasPrefix(">") }, "\(h.log)")
        }
    }
}
