import Foundation
import GRDB
import Testing

extension Integration {
    /// Pupils, not signals, through the real daemon (issue 13): one pupil
    /// who sends ten signals makes no alert and shows as "<5"; five pupils
    /// do, and a rule with `count = "signals"` shows the signals beside them.
    @Suite struct SignalCountTests {
        static let rules = """
            [alerts]
            evaluate_every = "0s"
            release_every = "1s"

            [[rule]]
            name = "leerlingen"
            match = ["grooming"]
            min_count = 5

            [[rule]]
            name = "signalen"
            match = ["grooming"]
            min_count = 5
            count = "signals"
            """

        func alerts(_ h: DaemonHarness) throws -> [String: [String: Any]] {
            var byRule: [String: [String: Any]] = [:]
            for entry in try h.outbox() where entry.kind == "alert" && entry.route == "socket" {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(entry.json.utf8)) as? [String: Any])
                byRule[object["rule"] as! String] = object
            }
            return byRule
        }

        func grooming(_ subject: String, _ n: Int) -> [String] {
            (0..<n).map { _ in Lines.signal([("category", "\"grooming\""), ("subject", "\"\(subject)\"")]) }
        }

        /// Last week, one pupil sent ten grooming signals: its summary
        /// shows "<5", and no rule alerted.
        @Test func oneSubjectWithTenSignalsIsOnePupilInTheSummary() throws {
            let (label, middle) = SummaryTests.previousWeek()
            let h = try DaemonHarness(extra: Self.rules + """

                [ingest]
                max_age = "14d"
                dedup_horizon = "15d"

                [summary]
                schedule = "mon 00:00"
                """)
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { try $0.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'", arguments: [Int64(middle.timeIntervalSince1970) - 86_400]) }
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            let lines = (0..<10).map { _ in
                Lines.signal([("category", "\"grooming\""), ("subject", "\"pupil-aaaaaaaaaaaaaaaa\""), ("ts", "\"\(f.string(from: middle))\"")])
            }
            try h.drop(lines.joined(separator: "\n") + "\n")
            try h.start()
            try h.waitUntilDrained()
            try waitUntil("last week's summary is published", timeout: 30) {
                (try? h.outbox().contains { $0.kind == "summary" }) == true
            }
            #expect(h.stop() == 0)
            #expect(try h.total() == 10, "all ten signals were counted")
            let summary = try #require(try h.outbox().first { $0.kind == "summary" && $0.route == "socket" })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
            #expect(object["week"] as? String == label)
            let tables = try #require(object["tables"] as? [[String: Any]])
            let category = try #require(tables.first { $0["name"] as? String == "category" })
            let rows = try #require(category["rows"] as? [[String: String]])
            #expect(rows.first { $0["key"] == "grooming" }?["value"] == "<5", "\(rows)")
            #expect(category["total"] as? String == "<5")
            #expect(try alerts(h).isEmpty, "one pupil is not five, however many signals")
        }

        @Test func pupilsDecideAndSignalsAreShownBesideThem() throws {
            let h = try DaemonHarness(extra: Self.rules)
            try h.start(arguments: ["--log-level", "debug"])
            let mark = h.logMark
            // One pupil, ten signals: below k.
            try h.drop(grooming("pupil-aaaaaaaaaaaaaaaa", 10).joined(separator: "\n") + "\n")
            try h.waitUntilDrained()
            try h.waitForPass("evaluation, none held", since: mark, after: "accepted")
            #expect(try alerts(h).isEmpty, "one pupil is not five")
            // Four more pupils, three signals each: 5 pupils, 22 signals.
            var lines: [String] = []
            for p in ["bbbbbbbbbbbbbbbb", "cccccccccccccccc", "dddddddddddddddd", "eeeeeeeeeeeeeeee"] { lines += grooming("pupil-" + p, 3) }
            try h.drop(lines.joined(separator: "\n") + "\n")
            try waitUntil("both rules alert", timeout: 20) { (try? alerts(h).count) == 2 }
            #expect(h.stop() == 0)
            let sent = try alerts(h)
            let pupils = try #require(sent["leerlingen"]), signals = try #require(sent["signalen"])
            #expect(pupils["at_least"] as? Int == 5 && pupils["signals_at_least"] == nil)
            #expect((pupils["text"] as? String)?.contains("ten minste 5 leerlingen") == true)
            #expect(signals["at_least"] as? Int == 5 && signals["signals_at_least"] as? Int == 20, "\(signals)")
            #expect((signals["text"] as? String)?.contains("ten minste 20 signalen, van ten minste 5 leerlingen") == true)
        }
    }
}
