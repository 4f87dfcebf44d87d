import Foundation
import GRDB
import Testing

extension Integration {
    /// Rise rules through the real daemon (issue 13, finding 3): decided
    /// when the week's summary is published, from published values only —
    /// last week's table as it is published, and the week before as its
    /// frozen summary showed it — and sent with the summary.
    @Suite struct RiseTests {
        /// The week before last published "<5" (at most 4 pupils). Last
        /// week's pupils publish as `shown`; a rise needs at least 2 × 4.
        @Test(arguments: [(13, "15", true), (9, "10", true), (6, "5", false)])
        func aRiseIsDecidedFromPublishedValues(pupils: Int, shown: String, fires: Bool) throws {
            let (label, middle) = SummaryTests.previousWeek()
            let h = try DaemonHarness(extra: """
                [ingest]
                max_age = "14d"
                dedup_horizon = "15d"

                [summary]
                schedule = "mon 00:00"

                [[rule]]
                name = "stijging"
                kind = "rise"
                match = ["*"]
                baseline_weeks = 1
                min_baseline_weeks = 1
                factor = 2.0
                min_count = 5
                """)
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            let before = Date(timeIntervalSince1970: middle.timeIntervalSince1970 - 7 * 86_400)
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: before)
            let beforeLabel = String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
            let shownBefore = #"{"type":"summary","tables":[{"name":"category","rows":[{"key":"grooming","value":"<5"}],"total":"<5"}]}"#
            let envelope = try String(decoding: JSONSerialization.data(withJSONObject: [
                "week": beforeLabel, "total": "<5",
                "renderings": ["nl": ["subject": "s", "text": "t", "html": "h", "json": shownBefore]],
            ]), as: UTF8.self)
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { db in
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'",
                               arguments: [Int64(before.timeIntervalSince1970) - 4 * 86_400])
                try db.execute(sql: "INSERT INTO summaries(week, window_start, published_at, json) VALUES (?, ?, ?, ?)",
                               arguments: [beforeLabel, Int64(calendar.dateInterval(of: .weekOfYear, for: before)!.start.timeIntervalSince1970),
                                           Int64(middle.timeIntervalSince1970), envelope])
            }
            let f = ISO8601DateFormatter()
            f.timeZone = calendar.timeZone
            let ts = "\"\(f.string(from: middle))\""
            try h.drop((0..<pupils).map { _ in Lines.signal([("ts", ts), ("category", "\"grooming\"")]) }.joined(separator: "\n") + "\n")
            try h.start()
            try h.waitUntilDrained()
            try waitUntil("last week's summary is published", timeout: 30) {
                (try? h.outbox().contains { $0.kind == "summary" }) == true
            }
            #expect(h.stop() == 0)
            // The summary and its rise alert were written in one transaction.
            let summary = try #require(try h.outbox().first { $0.kind == "summary" && $0.route == "socket" })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
            #expect(object["week"] as? String == label)
            let tables = try #require(object["tables"] as? [[String: Any]])
            #expect(tables.first?["total"] as? String == shown)
            let lines = try #require(object["alerts"] as? [[String: Any]])
            let alerts = try h.outbox().filter { $0.kind == "alert" && $0.route == "socket" }
            if fires {
                #expect(alerts.count == 1)
                let alert = try #require(alerts.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any] })
                #expect(alert["rule"] as? String == "stijging", "\(alert)")
                #expect((alert["text"] as? String)?.contains("volgens hun weekoverzichten") == true, "\(alert)")
                #expect(lines.map { $0["rule"] as? String } == ["stijging"], "the summary lists the rise it decided")
                #expect(h.occurrences(of: "alert: rule stijging") == 1)
                let definition = try DatabaseQueue(path: h.statePath).read {
                    try String.fetchOne($0, sql: "SELECT definition FROM alert_log WHERE rule = 'stijging'")
                }
                #expect(definition?.hasPrefix("v1;rise;") == true, "the ledger keeps the rule it was decided under: \(definition ?? "nil")")
            } else {
                #expect(alerts.isEmpty, "at least 5 is not twice the at most 4 the week before showed")
                #expect(lines.isEmpty)
            }
        }
    }
}
