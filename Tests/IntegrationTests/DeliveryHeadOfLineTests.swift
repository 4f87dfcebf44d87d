import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A TCP "relay" that accepts connections and never says a word: the SMTP
/// client waits for a greeting that does not come.
final class SilentRelay: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var closed = false

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw HarnessError("socket: \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, len) == 0 && getsockname(listener, $0, &len) == 0
            }
        }
        guard ok, listen(listener, 64) == 0 else { throw HarnessError("bind/listen: \(errno)") }
        fd = listener
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let c = accept(listener, nil, nil)
                if c < 0 { return } // closed
                lock.lock()
                if closed { Glibc.close(c) } else { connections.append(c) }
                lock.unlock()
            }
        }
    }

    /// Connections accepted (and held open, silent) so far.
    var accepted: Int {
        lock.lock()
        defer { lock.unlock() }
        return connections.count
    }

    /// Closes the listener and every held connection: clients see the end.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        for c in connections { Glibc.close(c) }
        connections = []
    }

    deinit { close() }
}

/// `vertrouwd listen --json` on a socket, its output collected with the
/// moment each line arrived.
final class TimedListener: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var lines: [(line: String, at: Date)] = []

    init(socket path: String) throws {
        process.executableURL = Binary.url
        process.arguments = ["listen", "--socket", path, "--json"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            let now = Date()
            self.lock.lock()
            self.buffer.append(data)
            while let newline = self.buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: self.buffer[self.buffer.startIndex..<newline], as: UTF8.self)
                self.buffer.removeSubrange(self.buffer.startIndex...newline)
                self.lines.append((line, now))
            }
            self.lock.unlock()
        }
        try process.run()
        try waitUntil("the receiver listens", timeout: 20) { FileManager.default.fileExists(atPath: path) }
    }

    /// When a line containing `text` arrived, if one did.
    func arrival(of text: String) -> Date? {
        lock.lock()
        defer { lock.unlock() }
        return lines.first { $0.line.contains(text) }?.at
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }
}

extension Integration {
    /// Issue 12: routes do not wait on each other. With a relay that accepts
    /// TCP and never answers, every e-mail attempt hangs (30 s per SMTP
    /// step); a new alert still reaches the socket receiver at once.
    @Suite struct DeliveryHeadOfLineTests {
        func signals(site: String, channel: String) -> String {
            (0..<5).map { _ in Lines.signal([("site", "\"\(site)\""), ("channel", "\"\(channel)\"")]) }.joined(separator: "\n") + "\n"
        }

        /// The id of the socket alert whose JSON contains `text`, if it is in the outbox.
        func socketAlertID(_ h: DaemonHarness, containing text: String) throws -> String? {
            var c = Configuration()
            c.readonly = true
            let db = try DatabaseQueue(path: h.statePath, configuration: c)
            return try db.read { db in
                try String.fetchOne(db, sql: "SELECT id FROM outbox WHERE kind = 'alert' AND route = 'socket' AND instr(json, ?) > 0",
                                    arguments: [text])
            }
        }

        @Test func aSocketAlertArrivesWithinTwoSecondsWhileTheRelayHangs() throws {
            let relay = try SilentRelay()
            let h = try DaemonHarness(config: { MailTest.config(root: $0, relayPort: relay.port, socket: true) })
            let listener = try TimedListener(socket: h.root + "/alerts.sock")
            try h.start()

            // Three alerts: three e-mails that will hang, one after another.
            for channel in ["instagram", "snapchat", "discord"] {
                try h.drop(signals(site: "hoofdgebouw", channel: channel))
            }
            try waitUntil("three alerts are in the outbox", timeout: 30) {
                (try? h.alertRows().filter { $0.route == "email" }.count) == 3
            }
            try waitUntil("an e-mail attempt hangs at the relay", timeout: 30) { relay.accepted >= 1 }

            // A new alert while the relay holds the e-mail route.
            try h.drop(signals(site: "dependance", channel: "instagram"))
            var entered: (id: String, at: Date)?
            try waitUntil("the new alert enters the outbox", timeout: 30) {
                guard let id = try? socketAlertID(h, containing: "dependance") else { return false }
                entered = (id, Date())
                return true
            }
            let alert = try #require(entered)
            try waitUntil("the receiver has the new alert", timeout: 30) { listener.arrival(of: alert.id) != nil }
            let arrived = try #require(listener.arrival(of: alert.id))
            let delay = arrived.timeIntervalSince(alert.at)
            #expect(delay < 2, "the socket alert waited \(delay) s behind the e-mail route")
            #expect(relay.accepted >= 1, "the e-mail route was still hanging at the relay")

            relay.close() // the hanging attempt fails at once, so stopping is prompt
            #expect(h.stop() == 0)
        }
    }
}
