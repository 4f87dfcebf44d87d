import Foundation
import GRDB
import Testing

extension Integration {
    /// A week the school calendar closes is published as a holiday week,
    /// through the real daemon (issue 15 §2).
    @Suite struct HolidayWeekTests {
        @Test func aClosedWeeksSummarySaysItWasAHolidayWeek() throws {
            let (label, middle) = SummaryTests.previousWeek()
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            let monday = calendar.dateInterval(of: .weekOfYear, for: middle)!.start
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = calendar.timeZone
            f.dateFormat = "yyyy-MM-dd"
            // Monday to Wednesday closed: three of five school days.
            let closed = "\(f.string(from: monday))..\(f.string(from: monday.addingTimeInterval(2 * 86_400 + 3_600)))"
            let h = try DaemonHarness(extra: """
                [summary]
                schedule = "mon 00:00"

                [calendar]
                days_off = ["\(closed)"]
                """)
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            // The store existed before that week ended, as on a running school.
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { try $0.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'", arguments: [Int64(middle.timeIntervalSince1970) - 3 * 86_400]) }
            try h.start()
            try waitUntil("the summary is published", timeout: 30) {
                (try? h.outbox().contains { $0.kind == "summary" }) == true
            }
            #expect(h.stop() == 0)
            let summary = try #require(try h.outbox().first { $0.kind == "summary" && $0.route == "socket" })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
            #expect(object["week"] as? String == label)
            #expect(object["holiday_week"] as? Bool == true)
            let text = try #require(object["text"] as? String)
            #expect(text.split(separator: "\n").dropFirst().first?.hasPrefix("Vakantieweek:") == true, "\(text)")
        }
    }
}
