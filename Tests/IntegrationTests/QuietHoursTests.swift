import Foundation
import GRDB
import Testing

// Quiet hours through the built binary and a real SMTP server (aiosmtpd):
// an alert e-mail raised during `[delivery] quiet` waits in the outbox
// until the quiet hours end, then arrives naming its window; a `high`
// alert excepted by `quiet_except` arrives at once (issue 15 §2).
//
// The daemon reads the real clock, so the quiet hours are set around now:
// from an hour ago until one and a half to two and a half minutes from now.

extension Integration {
    @Suite struct QuietHoursTests {
        static let dutchMonths = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                  "september", "oktober", "november", "december"]

        /// "HH:MM" of an instant in Europe/Amsterdam (the test school's zone).
        static func clock(_ instant: Int64) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            f.dateFormat = "HH:mm"
            return f.string(from: Date(timeIntervalSince1970: TimeInterval(instant)))
        }

        static func config(root: String, relayPort: Int, quiet: String) -> String {
            DaemonHarness.baseConfig(root: root) + """
            [[recipient]]
            name = "vertrouwenspersoon"
            email = "\(MailTest.recipient)"
            receives = ["alerts"]

            [delivery]
            quiet = "\(quiet)"
            quiet_except = ["high"]

            [delivery.email]
            mode = "smtp"
            relay = "127.0.0.1:\(relayPort)"
            starttls = "off"
            from = "\(MailTest.from)"

            [alerts]
            evaluate_every = "0s"
            release_every = "1s"

            [[rule]]
            name = "sextortion-acuut"
            match = ["sextortion.*"]
            window = "day"
            min_count = 5
            group_by = []
            severity = "high"

            [[rule]]
            name = "grooming-dag"
            match = ["grooming"]
            window = "day"
            min_count = 5
            group_by = []
            severity = "medium"
            """
        }

        /// (rule severity from the JSON, state, attempts, next attempt, finished) of the e-mail alerts.
        func rows(_ h: DaemonHarness) throws -> [(severity: String, state: String, attempts: Int, next: Int64, finished: Int64?)] {
            var c = Configuration()
            c.readonly = true
            let db = try DatabaseQueue(path: h.statePath, configuration: c)
            return try db.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT json, state, attempts, next_attempt_at, finished_at FROM outbox
                    WHERE kind = 'alert' AND route = 'email' ORDER BY created_at, id
                    """).map { row in
                    let json = try JSONSerialization.jsonObject(with: Data((row["json"] as String).utf8)) as? [String: Any]
                    return (severity: json?["severity"] as? String ?? "", state: row["state"], attempts: row["attempts"],
                            next: row["next_attempt_at"], finished: row["finished_at"])
                }
            }
        }

        @Test(.enabled(if: MailTest.aiosmtpdAvailable, "aiosmtpd is missing and scripts/ensure-test-tools could not install it"))
        func anAlertRaisedInQuietHoursArrivesWhenTheyEnd() throws {
            let now = Int64(Date().timeIntervalSince1970)
            // Quiet hours end on a whole minute 1½ to 2½ minutes from now:
            // time enough to start the daemon and raise the alerts under load.
            let release = (now + 90) / 60 * 60 + 60
            let quiet = "\(Self.clock(now - 3_600))-\(Self.clock(release))"
            let server = try FixedPortSMTPServer(port: try MailTest.freePort())
            let h = try DaemonHarness(config: { Self.config(root: $0, relayPort: server.port, quiet: quiet) })
            try h.start()
            let grooming = (0..<5).map { _ in Lines.signal([("category", "\"grooming\"")]) }.joined(separator: "\n") + "\n"
            try h.drop(MailTest.signals(5) + grooming)

            // The high alert goes at once; the medium one is held, no attempt made.
            try waitUntil("the medium alert is held", timeout: 60) { h.log.contains("held for the quiet hours (\(quiet))") }
            try waitUntil("the high alert arrives during the quiet hours", timeout: 60) { server.messages().count >= 1 }
            let during = Int64(Date().timeIntervalSince1970)
            #expect(during < release, "the machine was too slow to observe the quiet hours")
            let held = try #require(try rows(h).first { $0.severity == "medium" })
            #expect(held.state == "pending" && held.attempts == 0 && held.next == release)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            let day = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(now - 60)))
            let dayText = "\(day.day!) \(Self.dutchMonths[day.month! - 1]) \(day.year!)"
            let first = try MailTest.parse(try #require(server.messages().first))
            #expect(first.text.contains(dayText), "\(first.text)")

            // When the quiet hours end, the held alert arrives, once.
            // The relay has it before the daemon records the delivery: wait for both.
            try waitUntil("the held alert arrives and is recorded", timeout: TimeInterval(release - during + 90)) {
                server.messages().count >= 2 && (try? rows(h).first { $0.severity == "medium" })??.state == "delivered"
            }
            let delivered = try #require(try rows(h).first { $0.severity == "medium" })
            #expect(delivered.state == "delivered" && delivered.attempts == 1)
            #expect(try #require(delivered.finished) >= release, "not sent before the quiet hours ended")
            let high = try #require(try rows(h).first { $0.severity == "high" })
            #expect(try #require(high.finished) < release, "the high alert did not wait")

            // Its text still says on which day it happened.
            let second = try MailTest.parse(server.messages()[1])
            #expect(second.text.contains(dayText), "\(second.text)")
            #expect(h.stop() == 0)
            #expect(server.messages().count == 2)
        }
    }
}
