import Foundation
import GRDB
import Testing

extension Integration {
    /// Issue 15 §3 through the real daemon: a summary shows earlier weeks
    /// exactly as their frozen summaries showed them, and a week without a
    /// summary as a gap.
    @Suite struct SummaryHistoryTests {
        /// The store holds no signals at all, so any number an earlier week
        /// shows that is not "<5" can only come from that week's stored
        /// summary: "35" and "x" prove the previous-week column and the
        /// trend were read, not recomputed.
        @Test func earlierWeeksAreReadFromTheirFrozenSummariesAndMissingWeeksAreGaps() throws {
            let h = try DaemonHarness(extra: "[summary]\nschedule = \"mon 00:00\"\ncatch_up_weeks = 4\n")
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            func week(_ weeksAgo: Int) -> (label: String, start: Int64) {
                let d = Date().addingTimeInterval(-Double(weeksAgo) * 7 * 86_400)
                let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: d)
                let start = calendar.dateInterval(of: .weekOfYear, for: d)!.start
                return (String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!), Int64(start.timeIntervalSince1970))
            }
            // Week 4 ago: a summary whose category table was left out (no
            // renderings kept). Week 3 ago: none (the server was off).
            // Week 2 ago: a summary that showed 35 payment demands and an "x".
            let shown = #"{"type":"summary","tables":[{"name":"category","rows":[{"key":"sextortion.payment","value":"35"},{"key":"grooming","value":"x"},{"key":"distress","value":"<5"}],"total":"40"}]}"#
            let envelope = try String(decoding: JSONSerialization.data(withJSONObject: [
                "week": week(2).label, "total": "40",
                "renderings": ["nl": ["subject": "s", "text": "t", "html": "h", "json": shown]],
            ]), as: UTF8.self)
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { db in
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'", arguments: [week(6).start])
                try db.execute(sql: "INSERT INTO summaries(week, window_start, published_at, json) VALUES (?, ?, ?, ?)",
                               arguments: [week(4).label, week(4).start, week(3).start, #"{"week":"x","total":"<5","renderings":{}}"#])
                try db.execute(sql: "INSERT INTO summaries(week, window_start, published_at, json) VALUES (?, ?, ?, ?)",
                               arguments: [week(2).label, week(2).start, week(1).start, envelope])
            }
            try h.start()
            try waitUntil("last week's summary is published", timeout: 30) {
                (try? h.outbox().contains { $0.kind == "summary" && $0.route == "socket" }) == true
            }
            #expect(h.stop() == 0)
            let sent = try #require(try h.outbox().first { $0.kind == "summary" && $0.route == "socket" })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(sent.json.utf8)) as? [String: Any])
            #expect(object["week"] as? String == week(1).label)
            let trend = try #require(object["trend"] as? [[String: Any]])
            #expect(trend.map { $0["week"] as? String } == [week(4).label, week(3).label, week(2).label, week(1).label], "\(trend)")
            #expect(trend[0]["total"] as? String == "<5" && trend[0]["categories"] == nil)
            #expect(trend[1]["total"] is NSNull, "no summary that week: a gap")
            #expect(trend[2]["total"] as? String == "40")
            #expect(trend[2]["categories"] as? [String: String] == ["sextortion.payment": "35", "grooming": "x", "distress": "<5"],
                    "exactly what week \(week(2).label) showed")
            let text = try #require(object["text"] as? String)
            func row(_ key: String) -> [String] {
                (text.split(separator: "\n").first { $0.hasPrefix("  \(key) ") }?.split(separator: " ").map(String.init)) ?? []
            }
            // label, this week, last week as sent, trend (no categories, gap, 35, <5).
            #expect(row("sextortion.payment") == ["sextortion.payment", "<5", "35", "··█▁"], "\(text)")
            #expect(row("grooming") == ["grooming", "<5", "x", "··x▁"], "the x stays an x: \(text)")
            #expect(row("distress") == ["distress", "<5", "<5", "··▁▁"], "\(text)")
            #expect(text.contains("Wat valt op: de grootste verandering sinds vorige week is ‘sextortion.payment’, van 35 naar minder dan 5 leerlingen."),
                    "\(text)")
        }
    }
}
