import Foundation
import GRDB
import Testing

extension Integration {
    /// IT's weekly health report through the built binary (issue 15 §3,
    /// s7-health): when the daemon publishes a closed week's summary, the
    /// recipient that receives "health" gets the week's system facts in
    /// the same step, and the trust contact's summary shows no health.
    @Suite struct WeeklyHealthReportTests {
        @Test func theHealthRecipientGetsAReportWhenTheSummaryIsPublished() throws {
            let h = try DaemonHarness(extra: """
                [summary]
                schedule = "mon 00:00"

                [[recipient]]
                name = "ict"
                receives = ["health"]

                """)
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            #expect(h.log.contains("no recipient receives") == false, "ict receives health: nothing to say")
            // The store existed before last week began, as on a running school.
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { try $0.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'",
                                          arguments: [Int64(Date().timeIntervalSince1970) - 15 * 86_400]) }
            try h.start()
            try waitUntil("last week's summary and health report are queued", timeout: 30) {
                let kinds = (try? h.outbox().map(\.kind)) ?? []
                return kinds.contains("summary") && kinds.contains("health")
            }
            #expect(h.stop() == 0)

            let rows = try h.healthRows()
            let reports = rows.filter { $0.json.contains("\"type\":\"health_report\"") }
            #expect(!reports.isEmpty && reports.allSatisfy { $0.recipient == "ict" }, "\(rows.map(\.recipient))")
            let report = try #require(reports.first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
            #expect(object["rejects"] is [String: Int], "unmasked numbers")
            #expect(object["unwatched_sources"] as? [String] == ["webfilter", "chatguard"])
            let summaries = try h.outbox().filter { $0.kind == "summary" }
            #expect(summaries.count == reports.count, "one report per summary message route: \(summaries.count) vs \(reports.count)")
            #expect(summaries.allSatisfy { !$0.json.contains("\"health\"") }, "the summary shows no health")
        }

        /// Without a health recipient the daemon says once, at start, that
        /// health goes only to its log.
        @Test func withoutAHealthRecipientTheDaemonSaysSoAtStart() throws {
            let h = try DaemonHarness()
            try h.start()
            #expect(h.stop() == 0)
            #expect(h.log.components(separatedBy: "health: no recipient receives \"health\"").count == 2, "once: \(h.log)")
        }
    }
}
