import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Integration {
    /// Alerts reach a socket receiver: queued while nobody listens, retried
    /// with the same id, delivered once `vertrouwd listen` is there.
    @Suite struct DeliveryTests {
        @Test func anAlertWaitsForItsReceiverAndArrivesOnce() throws {
            let h = try DaemonHarness(extra: AlertTests.rules)
            try h.start()
            try h.drop((0..<5).map { _ in Lines.signal() }.joined(separator: "\n") + "\n")
            try waitUntil("the alert is tried and kept", timeout: 15) {
                (try? h.outbox().first { $0.kind == "alert" && $0.route == "socket" }?.attempts ?? 0) ?? 0 >= 1
            }
            #expect(try h.outbox().allSatisfy { $0.state == "pending" }, "no receiver: queued")

            let socketPath = h.root + "/alerts.sock"
            let listener = Process()
            listener.executableURL = Binary.url
            listener.arguments = ["listen", "--socket", socketPath, "--json"]
            let out = Pipe()
            listener.standardOutput = out
            listener.standardError = Pipe()
            try listener.run()
            defer { if listener.isRunning { kill(listener.processIdentifier, SIGTERM); listener.waitUntilExit() } }
            try waitUntil("the alert is delivered", timeout: 30) {
                (try? h.outbox().first { $0.route == "socket" }?.state) == "delivered"
            }
            #expect(h.stop() == 0)
            kill(listener.processIdentifier, SIGTERM)
            listener.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let lines = printed.split(separator: "\n")
            #expect(lines.count == 1, "delivered exactly once: \(printed)")
            let stored = try #require(try h.outbox().first { $0.route == "socket" })
            #expect(lines.first.map(String.init) == stored.json, "the receiver got the message as stored, same id")
            #expect(h.log.contains("delivered to vertrouwenspersoon by socket"))
        }
    }
}
