import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Integration {
    /// The weekly summary through the real daemon: published once for the
    /// closed week, k-anonymous, frozen.
    @Suite struct SummaryTests {
        /// The previous ISO week (Europe/Amsterdam) and an instant inside it.
        static func previousWeek() -> (label: String, middle: Date) {
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            let lastWeek = Date().addingTimeInterval(-7 * 86_400)
            let start = calendar.dateInterval(of: .weekOfYear, for: lastWeek)!.start
            let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: lastWeek)
            let label = String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
            return (label, start.addingTimeInterval(3 * 86_400 + 12 * 3_600))
        }

        func stamp(_ date: Date) -> String {
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            return f.string(from: date)
        }

        @Test func aClosedWeekIsPublishedOnceWithOnlyKAnonymousValues() throws {
            let (label, middle) = Self.previousWeek()
            let h = try DaemonHarness(extra: """
                [ingest]
                max_age = "14d"
                dedup_horizon = "15d"

                [summary]
                schedule = "mon 00:00"
                """)
            // The store existed before that week ended, as on a running school.
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { try $0.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'", arguments: [Int64(middle.timeIntervalSince1970) - 86_400]) }

            let ts = "\"\(stamp(middle))\""
            var lines: [String] = []
            lines += (0..<23).map { _ in Lines.signal([("ts", ts), ("category", "\"sextortion.payment\"")]) }
            lines += (0..<3).map { _ in Lines.signal([("ts", ts), ("category", "\"grooming\""), ("site", "\"dependance\""), ("channel", "\"discord\"")]) }
            lines += (0..<6).map { _ in Lines.signal([("ts", ts), ("category", "\"help_seeking\""), ("cohort", "\"klas-1\"")]) }
            try h.drop(lines.joined(separator: "\n") + "\n")
            try h.start()
            try h.waitUntilDrained()
            try waitUntil("the summary is published", timeout: 15) {
                (try? h.outbox().contains { $0.kind == "summary" }) == true
            }
            #expect(h.stop() == 0)
            // A restart checks for due summaries at once: wait for that check.
            let mark = h.logMark
            try h.start(arguments: ["--log-level", "debug"])
            try h.waitForPass("publication", since: mark)
            #expect(h.stop() == 0)
            #expect(try h.outbox().filter { $0.kind == "summary" && $0.route == "socket" }.count == 1, "published once, also after a restart")

            let json = try Binary.run(["summary", "--config", h.configPath, "--week", label, "--format", "json"])
            #expect(json.status == 0, "\(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["week"] as? String == label)
            var values: [String] = []
            for table in try #require(object["tables"] as? [[String: Any]]) {
                values += (try #require(table["rows"] as? [[String: String]])).compactMap { $0["value"] }
                values.append(try #require(table["total"] as? String))
            }
            #expect(!values.isEmpty)
            for value in values {
                let ok = value == "<5" || value == "x" || (Int(value).map { $0 >= 5 && $0 % 5 == 0 } ?? false)
                #expect(ok, "every value is <5, x or a multiple of 5 that is at least 5: \(value)")
            }
            #expect(values.contains("25") || values.contains("30"), "32 signals in all, rounded to a multiple of 5: \(values)")

            // Frozen: the same bytes every time.
            let a = try Binary.run(["summary", "--config", h.configPath, "--week", label, "--format", "html"])
            let b = try Binary.run(["summary", "--config", h.configPath, "--week", label, "--format", "html"])
            #expect(a.status == 0 && a.stdout == b.stdout && a.stdout.contains("<table"))
            let text = try Binary.run(["summary", "--config", h.configPath, "--week", label, "--language", "en"])
            // The title says the week as a school does: "Weekly summary week 48 of 2026".
            let number = Int(label.split(separator: "W")[1])!
            #expect(text.stdout.hasPrefix("Weekly summary week \(number) of \(label.prefix(4))"), "\(text.stdout.prefix(80))")
        }

        @Test func weeksMissedDuringDowntimeAreSentOnceAfterRestart() throws {
            let h = try DaemonHarness(extra: "[summary]\nschedule = \"mon 00:00\"\ncatch_up_weeks = 4\n")
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            // The daemon was last up four weeks ago: it published that week,
            // then was down for three more.
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            func week(_ weeksAgo: Int) -> (label: String, start: Int64) {
                let d = Date().addingTimeInterval(-Double(weeksAgo) * 7 * 86_400)
                let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: d)
                let start = calendar.dateInterval(of: .weekOfYear, for: d)!.start
                return (String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!), Int64(start.timeIntervalSince1970))
            }
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { db in
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'", arguments: [week(6).start])
                try db.execute(sql: "INSERT INTO summaries(week, window_start, published_at, json) VALUES (?, ?, ?, ?)",
                               arguments: [week(4).label, week(4).start, week(3).start, #"{"week":"x","total":"<5","renderings":{}}"#])
            }
            try h.start()
            try waitUntil("the missed weeks are published", timeout: 15) {
                (try? h.outbox().filter { $0.kind == "summary" && $0.route == "socket" }.count) == 3
            }
            #expect(h.stop() == 0)
            let mark = h.logMark
            try h.start(arguments: ["--log-level", "debug"])
            try h.waitForPass("publication", since: mark)
            #expect(h.stop() == 0)
            let weeks = try h.outbox().filter { $0.kind == "summary" && $0.route == "socket" }.map {
                (try JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any])?["week"] as? String
            }
            #expect(Set(weeks.compactMap { $0 }) == [week(3).label, week(2).label, week(1).label], "each missed week once: \(weeks)")
        }

        @Test func aWeekThatHasNotClosedIsRefused() throws {
            let h = try DaemonHarness()
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date())
            let label = String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
            let result = try Binary.run(["summary", "--config", h.configPath, "--week", label])
            #expect(result.status == 1)
            #expect(result.stderr.contains("has not closed yet"))
        }

        /// A week that ended before the state database was made is never
        /// sent (the first summary is the install's week): its preview says
        /// so instead of "what would be sent" (a new school's first try).
        @Test func aWeekBeforeTheInstallIsPreviewedAsNeverSent() throws {
            let h = try DaemonHarness()
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            let (label, _) = SummaryTests.previousWeek()
            let result = try Binary.run(["summary", "--config", h.configPath, "--week", label])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("ended before this state database was made, so no summary of it is sent"), "\(result.stderr)")
            #expect(!result.stdout.isEmpty, "the preview still shows what it would have said")
        }
    }
}
