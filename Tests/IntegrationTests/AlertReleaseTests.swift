import Foundation
import GRDB
import Testing

/// When alerts leave, through the real daemon (issue 13): only at aligned
/// release ticks, stamped with the tick (finding 9), and never for a week
/// whose summary is already published (finding 8).
extension Integration {
    @Suite struct AlertReleaseTests {
        static let rule = """
            [[rule]]
            name = "sextortion-dag"
            kind = "threshold"
            match = ["sextortion.*"]
            window = "day"
            min_count = 5
            group_by = []
            severity = "high"
            """

        /// The alerts' `created_at` (the e-mail's Date header), socket route.
        func alertStamps(_ h: DaemonHarness) throws -> [Int64] {
            let db = try DatabaseQueue(path: h.statePath, configuration: {
                var c = Configuration()
                c.readonly = true
                return c
            }())
            return try db.read {
                try Int64.fetchAll($0, sql: "SELECT created_at FROM outbox WHERE kind = 'alert' AND route = 'socket' ORDER BY created_at")
            }
        }

        func alerts(_ h: DaemonHarness) throws -> [[String: Any]] {
            try h.outbox().filter { $0.kind == "alert" && $0.route == "socket" }.map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any])
            }
        }

        /// Rules run after every batch, but the alert is held to the next
        /// 10-second release tick and stamped with it: its time says the
        /// slot, not the second the fifth pupil came.
        @Test func anAlertLeavesAtTheNextReleaseTickStampedWithIt() throws {
            let h = try DaemonHarness(extra: """
                [alerts]
                evaluate_every = "0s"
                release_every = "10s"

                \(Self.rule)
                """)
            try h.start(arguments: ["--log-level", "debug"])
            // Drop just after a tick, so the next tick is seconds away: an
            // alert sent at once would carry a stamp off the 10-second grid.
            try waitUntil("a second just after a release tick", timeout: 15) {
                let s = Int64(Date().timeIntervalSince1970)
                return s % 10 == 1 || s % 10 == 2
            }
            let dropped = Int64(Date().timeIntervalSince1970)
            let mark = h.logMark
            try h.drop((0..<5).map { _ in Lines.signal() }.joined(separator: "\n") + "\n")
            try h.waitUntilDrained()
            // Evaluated after the batch and held…
            try h.waitForPass("evaluation", since: mark, after: "accepted")
            // …then released at the tick.
            try waitUntil("the alert is released", timeout: 30) { (try? alertStamps(h).count) == 1 }
            #expect(h.stop() == 0)
            let stamp = try #require(try alertStamps(h).first)
            #expect(stamp % 10 == 0, "stamped with a release tick: \(stamp)")
            #expect(stamp > dropped, "the tick after the decision, not the instant of it: \(stamp) vs \(dropped)")
            #expect(stamp <= dropped + 60)
            #expect(try alerts(h).first?["at_least"] as? Int == 5)
            // The notice names the band and the day, never a time of day.
            #expect(h.log.contains("alert: rule sextortion-dag, window starting"))
        }

        /// Signals counted at a start make their alert wait for the next
        /// tick too. The start's summary check used to release held alerts
        /// at once, stamped with the tick before the start — before the
        /// signals, in a new school's first try.
        @Test func anAlertDecidedAtStartWaitsForTheNextTick() throws {
            let h = try DaemonHarness(extra: """
                [alerts]
                evaluate_every = "0s"
                release_every = "10s"

                \(Self.rule)
                """)
            try h.prepareSpool()
            try h.drop((0..<5).map { _ in Lines.signal() }.joined(separator: "\n") + "\n")
            try waitUntil("a second just after a release tick", timeout: 15) {
                let s = Int64(Date().timeIntervalSince1970)
                return s % 10 == 1 || s % 10 == 2
            }
            let started = Int64(Date().timeIntervalSince1970)
            try h.start(arguments: ["--log-level", "debug"])
            try waitUntil("the alert is released", timeout: 30) { (try? alertStamps(h).count) == 1 }
            #expect(h.stop() == 0)
            let stamp = try #require(try alertStamps(h).first)
            #expect(stamp % 10 == 0 && stamp > started, "the tick after the start, not the one before: \(stamp) vs \(started)")
        }

        /// Late signals for a week whose summary is out make no alert (its
        /// release check never saw one); they stay counted, and an alert for
        /// an open week still goes out.
        @Test func lateSignalsForAPublishedWeekMakeNoAlertButStayCounted() throws {
            let (_, middle) = SummaryTests.previousWeek()
            let h = try DaemonHarness(extra: """
                [ingest]
                max_age = "14d"
                dedup_horizon = "15d"

                [alerts]
                evaluate_every = "0s"
                release_every = "1s"

                [summary]
                schedule = "mon 00:00"

                \(Self.rule)
                """)
            // The store existed before last week ended, as on a running school.
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            let db = try DatabaseQueue(path: h.statePath)
            try db.write {
                try $0.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'",
                               arguments: [Int64(middle.timeIntervalSince1970) - 86_400])
            }
            try h.start(arguments: ["--log-level", "debug"])
            try waitUntil("last week's summary is published", timeout: 20) {
                (try? h.outbox().contains { $0.kind == "summary" }) == true
            }

            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            let late = "\"\(f.string(from: middle))\""
            var lines = (0..<6).map { _ in Lines.signal([("ts", late)]) }
            lines += (0..<5).map { _ in Lines.signal() }
            try h.drop(lines.joined(separator: "\n") + "\n")
            try h.waitUntilDrained()
            try waitUntil("the late alert is dropped", timeout: 30) {
                h.log.contains("alert for a frozen week not sent: rule sextortion-dag, window ")
            }
            try waitUntil("today's alert is released", timeout: 30) { (try? alerts(h).count) == 1 }
            #expect(h.stop() == 0)

            let sent = try alerts(h)
            #expect(sent.count == 1, "\(sent)")
            let window = try #require(sent.first?["window"] as? [String: String])
            let today = DateFormatter()
            today.dateFormat = "yyyy-MM-dd"
            today.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            #expect(window["start"] == today.string(from: Date()), "only the open week's alert: \(window)")
            #expect(try h.total() == 11, "nothing is lost: every signal is counted")
            // The trace names the rule and the window, never a count.
            let trace = try #require(h.log.split(separator: "\n").first { $0.contains("alert for a frozen week not sent") })
            #expect(trace.contains("window \(today.string(from: middle))") && !trace.contains("at least"), "\(trace)")
        }
    }
}
