import Foundation
import Logging
import Testing
import VertrouwdCore
import VertrouwdStore
@testable import VertrouwdDaemon

/// IT's weekly health report (issue 15 §3, s7-health) on the real SQLite
/// store: published with the week's summary, in the same transaction, to
/// the health recipient only, with the week's system facts unmasked — and
/// the summary itself no longer shows health.
@Suite struct WeeklyHealthReportTests {
    static func configuration(root: String, health: Bool) throws -> Configuration {
        try schoolConfiguration(root: root, extra: """
            [[source]]
            name = "helpknop"
            expect_every = "1d"
            """ + (health ? "\n[[recipient]]\nname = \"ict\"\nreceives = [\"health\"]\n" : ""))
    }

    /// A store with one week of facts: a webfilter signal and two rejects
    /// on Tuesday, one alert given up on the socket on Wednesday; helpknop
    /// silent all week.
    static func store(_ c: Configuration, week: Window) throws -> SignalStore {
        try FileManager.default.createDirectory(atPath: (c.state.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = try SignalStore(path: c.state.path, now: week.start - 86_400)
        let tuesday = week.start + 86_400 + 43_200
        let s = Signal(id: "sig-00000001", timestamp: tuesday, source: "webfilter", category: "grooming", site: nil,
                       cohort: nil, channel: nil, severity: .medium, count: 1)
        var builder = store.batchBuilder(zone: c.school.timeZone)
        builder.add(IngestFile(digest: [UInt8](repeating: 7, count: 32), signals: [s], rejections: [.malformedJSON]))
        _ = try store.commitCounting(builder.finish(), rejectedFiles: ["symlink"], now: tuesday,
                                     day: DateText.Day(instant: tuesday, zone: c.school.timeZone).iso)
        let wednesday = tuesday + 86_400
        try store.enqueue([OutboxEntry(id: "alert-1", recipient: "vp", route: .socket, kind: "alert", createdAt: wednesday,
                                       subject: "s", text: "t", html: "h", json: "{}")])
        try store.settle(id: "alert-1", recipient: "vp", route: .socket, outcome: .failed(reason: "no receiver"), now: wednesday)
        return store
    }

    func scratch() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("whr-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    @Test func theHealthRecipientGetsTheWeeksFactsWithTheSummaryOnce() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let c = try Self.configuration(root: root, health: true)
        let week = try #require(Window.week(label: "2026-W48", in: c.school.timeZone))
        let store = try Self.store(c, week: week)
        let publisher = SummaryPublisher(configuration: c, logger: Logger(label: "test"))
        let monday = week.end + 8 * 3_600
        #expect(try publisher.publishDue(store: store, now: monday, backlog: 2).published == 1)

        let outbox = try store.outbox()
        let summaries = outbox.filter { $0.kind == "summary" }
        #expect(summaries.map(\.recipient) == ["vp"], "the summary goes to the trust contact only")
        let reports = outbox.filter { $0.kind == "health" }
        #expect(reports.map(\.recipient) == ["ict"], "the report goes to the health recipient only")
        let report = try #require(reports.first)
        #expect(report.id != summaries.first?.id, "its own message id")

        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "health_report")
        #expect(object["week"] as? String == "2026-W48")
        #expect(object["rejects"] as? [String: Int] == ["malformed_json": 1, "file_symlink": 1], "unmasked, by reason")
        #expect((object["routes"] as? [String: [String: Int]])?["socket"] == ["delivered": 0, "given_up": 1])
        #expect(object["spool_backlog"] as? Int == 2)
        #expect(object["needs_attention"] as? Bool == true)
        let watched = try #require(object["watched_sources"] as? [[String: Any]])
        #expect(watched.count == 1 && watched[0]["name"] as? String == "helpknop" && (watched[0]["days_sent"] as? [String])?.isEmpty == true)
        #expect(object["unwatched_sources"] as? [String] == ["webfilter"])
        #expect(report.socketText.contains("Bron helpknop heeft deze week niets gestuurd"), "\(report.socketText)")
        #expect(report.socketText.contains("malformed_json 1") && !report.socketText.contains("<5"))
        #expect(report.subject == "vertrouwd (T): werking week 48 van 2026: aandacht nodig")

        // The summary shows no health: neither its section nor its JSON field.
        let summary = try #require(summaries.first)
        #expect(!summary.text.contains("Werking") && !summary.text.contains("Afgewezen"))
        #expect(!summary.json.contains("\"health\""))

        // Published once: a second check adds neither a summary nor a report.
        #expect(try publisher.publishDue(store: store, now: monday + 60, backlog: 0).published == 0)
        #expect(try store.outbox().filter { $0.kind == "health" }.count == reports.count)
    }

    @Test func withoutAHealthRecipientNoReportIsQueued() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let c = try Self.configuration(root: root, health: false)
        let week = try #require(Window.week(label: "2026-W48", in: c.school.timeZone))
        let store = try Self.store(c, week: week)
        let publisher = SummaryPublisher(configuration: c, logger: Logger(label: "test"))
        #expect(try publisher.publishDue(store: store, now: week.end + 8 * 3_600, backlog: 0).published == 1)
        let kinds = try store.outbox().map(\.kind)
        #expect(kinds.filter { $0 == "summary" }.count == 1)
        #expect(!kinds.contains("health"))
    }

    /// The days of a week with a clock change have 23 or 25 hours: each
    /// local day is read once (2026-W43 ends on the Sunday the clocks go back).
    @Test func aWeekWithAClockChangeHasSevenDays() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let c = try Self.configuration(root: root, health: true)
        let week = try #require(Window.week(label: "2026-W43", in: c.school.timeZone))
        let store = try Self.store(c, week: week)
        let facts = try WeeklyHealthReport(configuration: c).facts(week: week, store: store, backlog: 0, now: week.end)
        #expect(facts.days == 7)
        #expect(facts.first.iso == "2026-10-19" && facts.last.iso == "2026-10-25")
    }
}
