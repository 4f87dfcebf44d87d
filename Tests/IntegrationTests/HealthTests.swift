import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Health messages for IT through the built binary (issue 15 §1): a message
// the relay refuses for good is told to the recipient that receives
// "health", by the daemon's own routes.
extension DaemonHarness {
    /// The health rows of the outbox: (recipient, route, state, json).
    func healthRows() throws -> [(recipient: String, route: String, state: String, json: String)] {
        var c = Configuration()
        c.readonly = true
        let db = try DatabaseQueue(path: statePath, configuration: c)
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT recipient, route, state, json FROM outbox WHERE kind = 'health' ORDER BY created_at, id, route").map {
                (recipient: $0["recipient"], route: $0["route"], state: $0["state"], json: $0["json"])
            }
        }
    }
}

extension Integration {
    @Suite struct HealthTests {
        /// The trust contact's relay refuses every recipient (550): the
        /// alert is given up, and IT — reached over the socket — gets a
        /// health message naming the failing e-mail route, with the facts
        /// unmasked and no pupil count.
        @Test(.enabled(if: MailTest.aiosmtpdAvailable, "aiosmtpd is missing and scripts/ensure-test-tools could not install it"))
        func aGivenUpMessageIsToldToTheHealthRecipient() throws {
            let server = try FixedPortSMTPServer(port: try MailTest.freePort(), arguments: ["--rcpt550"])
            defer { server.stop() }
            let h = try DaemonHarness { root in
                MailTest.config(root: root, relayPort: server.port, socket: true) + """

                [[recipient]]
                name = "ict"
                receives = ["health"]

                """
            }
            try h.start()
            let listener = Process()
            listener.executableURL = Binary.url
            listener.arguments = ["listen", "--socket", h.root + "/alerts.sock", "--json"]
            let out = Pipe()
            listener.standardOutput = out
            listener.standardError = Pipe()
            try listener.run()
            defer { if listener.isRunning { kill(listener.processIdentifier, SIGTERM); listener.waitUntilExit() } }

            try h.drop(MailTest.signals(5))
            try waitUntil("the e-mail alert is given up", timeout: 30) {
                (try? h.alertRows().contains { $0.route == "email" && $0.state == "failed" }) == true
            }
            try waitUntil("a health message reaches ict over the socket", timeout: 30) {
                (try? h.healthRows().contains { $0.recipient == "ict" && $0.route == "socket" && $0.state == "delivered" }) == true
            }
            #expect(h.stop() == 0)
            kill(listener.processIdentifier, SIGTERM)
            listener.waitUntilExit()

            let rows = try h.healthRows()
            #expect(rows.allSatisfy { $0.recipient == "ict" }, "only the health recipient: \(rows.map(\.recipient))")
            #expect(rows.allSatisfy { $0.route == "socket" }, "ict has no address: socket only")
            let json = try #require(rows.first?.json)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(object["type"] as? String == "health")
            let notices = try #require(object["notices"] as? [[String: String]])
            #expect(notices.contains { $0["problem"] == "delivery_failing.email" && $0["change"] == "raised" }, "\(notices)")
            let failing = try #require((object["failing"] as? [String: [String: Any]])?["email"])
            #expect(failing["given_up"] as? Int == 1, "unmasked: one, not <5")
            #expect((failing["reason"] as? String)?.contains("550") == true)
            let text = try #require(object["text"] as? String)
            #expect(text.contains("Bezorging per e-mail mislukt: 1 bericht opgegeven"), "\(text)")
            #expect(!text.contains("<5"))

            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(printed.split(separator: "\n").contains { $0.contains("\"type\":\"health\"") }, "the receiver got it: \(printed)")
            #expect(h.log.contains("health: delivery_failing.email raised"))
            #expect(server.messages().isEmpty, "the relay took nothing")
        }

        /// A source with expect_every = "1m" that sends nothing: after a
        /// minute IT gets a health message naming it; its first signal
        /// then clears the problem with a follow-up. Waits on the outbox,
        /// never on a fixed sleep.
        @Test func aSilentSourceIsToldAndClearsWhenItSendsAgain() throws {
            let h = try DaemonHarness(extra: """
                [[source]]
                name = "helpknop"
                expect_every = "1m"

                [[recipient]]
                name = "ict"
                receives = ["health"]

                """)
            try h.start()
            func notices() -> [String] {
                ((try? h.healthRows()) ?? []).compactMap { row in
                    (try? JSONSerialization.jsonObject(with: Data(row.json.utf8)) as? [String: Any])
                        .flatMap { $0["notices"] as? [[String: String]] }?
                        .map { "\($0["problem"] ?? "") \($0["change"] ?? "")" }
                }.flatMap { $0 }
            }
            try waitUntil("helpknop is told as silent", timeout: 150) { notices().contains("source_silent.helpknop raised") }
            #expect(h.log.contains("health: source_silent.helpknop raised"))
            #expect(!notices().contains { $0.hasPrefix("source_silent.webfilter") }, "a source without expect_every may be silent")

            try h.drop(Lines.signal([("source", "\"helpknop\"")]) + "\n")
            try waitUntil("helpknop's silence is cleared", timeout: 90) { notices().contains("source_silent.helpknop cleared") }
            #expect(h.stop() == 0)
            let rows = try h.healthRows()
            #expect(rows.allSatisfy { $0.recipient == "ict" })
            // Rows come in the outbox's id order, not in time order.
            let cleared = try #require(rows.map(\.json).first { $0.contains("\"change\":\"cleared\"") })
            #expect(cleared.contains("Bron helpknop stil: sinds"), "\(cleared)")
        }
    }
}
