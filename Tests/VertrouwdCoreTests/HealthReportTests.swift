import Foundation
import Testing
import VertrouwdCore

/// Sample weekly health reports (issue 15 §3, s7-health), each rendered in
/// nl and en as text, HTML and JSON.
enum HealthReportSamples {
    static let zone = TimeZone(identifier: "Europe/Amsterdam")!
    /// Monday 30 November 2026, 07:30 in Amsterdam: week 48 has just been published.
    static let now: Int64 = 1_796_020_200

    static func day(_ d: Int) -> DateText.Day { DateText.Day(year: 2026, month: 11, day: 22 + d, weekday: d) }

    /// A week with trouble: the relay refuses, a watched source went quiet.
    static var attention: HealthReportFacts {
        var f = HealthReportFacts(week: "2026-W48", first: day(1), last: day(7))
        f.routes = [.email: .init(delivered: 3, givenUp: 2), .socket: .init(delivered: 4, givenUp: 0)]
        f.failing = [.email: .init(count: 2, reason: "550 5.1.1 mailbox unavailable", since: now - 2 * 86_400)]
        f.waiting = 1
        f.oldestWaiting = now - 3 * 3_600
        f.spoolBacklog = 0
        f.rejects = ["malformed_json": 3, "pii_email": 1, "file_symlink": 1]
        f.watched = [.init(name: "webfilter", expectEvery: .days(1), daysSent: [day(1), day(2), day(3)]),
                     .init(name: "helpknop", expectEvery: .weeks(1), daysSent: [])]
        f.unwatched = ["portal"]
        return f
    }

    /// A quiet, healthy week.
    static var allWell: HealthReportFacts {
        var f = HealthReportFacts(week: "2026-W48", first: day(1), last: day(7))
        f.routes = [.socket: .init(delivered: 2, givenUp: 0)]
        f.watched = [.init(name: "webfilter", expectEvery: .days(1), daysSent: (1...7).map(day))]
        return f
    }

    static let cases: [(name: String, facts: HealthReportFacts)] = [("attention", attention), ("all-well", allWell)]

    static func report(_ name: String, _ language: Language) -> HealthReport {
        HealthReport(id: "0123456789abcdef0123456789abcdef", facts: cases.first { $0.name == name }!.facts,
                     schoolName: "Voorbeeldcollege", language: language, zone: zone, now: now)
    }
}

@Suite struct HealthReportTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/health-report")
    static var updating: Bool { ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" }

    static var renderings: [String] {
        HealthReportSamples.cases.flatMap { c in Language.allCases.flatMap { l in ["txt", "html", "json"].map { "\(c.name).\(l.rawValue).\($0)" } } }
    }

    @Test(arguments: renderings)
    func renderingMatchesItsGoldenFile(file: String) throws {
        let parts = file.split(separator: ".")
        let m = HealthReportSamples.report(String(parts[0]), Language(rawValue: String(parts[1]))!)
        let actual = switch parts[2] {
        case "txt": "Subject: \(m.subject)\n\n\(m.text)"
        case "html": m.html
        default: m.json + "\n"
        }
        let url = Self.golden.appendingPathComponent(file)
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(file) differs; run with VERTROUWD_UPDATE_GOLDEN=1 and read the diff")
    }

    /// System facts are shown as they are: a 1 is a 1, never "<5".
    @Test func factsAreUnmasked() {
        let m = HealthReportSamples.report("attention", .nl)
        #expect(m.text.contains("pii_email 1"))
        #expect(m.text.contains("e-mail: 3 bezorgd, 2 opgegeven"))
        #expect(m.text.contains("Wachtende berichten: 1, oudste 3 uur"))
        #expect(!m.text.contains("<5") && !m.html.contains("&lt;5") && !m.json.contains("<5"))
    }

    @Test func theSubjectSaysWhetherAnythingNeedsAttention() {
        #expect(HealthReportSamples.report("attention", .nl).subject == "vertrouwd (Voorbeeldcollege): werking week 48 van 2026: aandacht nodig")
        #expect(HealthReportSamples.report("all-well", .en).subject == "vertrouwd (Voorbeeldcollege): health week 48 of 2026: all well")
        #expect(HealthReportSamples.report("all-well", .nl).text.contains("Aandachtspunten:\n- geen\n"))
    }

    @Test func jsonIsOneLineOfTypeHealthReport() throws {
        let m = HealthReportSamples.report("attention", .en)
        #expect(!m.json.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(m.json.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "health_report")
        #expect(Set(object.keys) == ["type", "version", "id", "week", "at", "needs_attention", "routes", "failing", "waiting",
                                     "oldest_waiting", "spool_backlog", "rejects", "watched_sources", "unwatched_sources",
                                     "language", "text"])
        #expect(object["rejects"] as? [String: Int] == ["malformed_json": 3, "pii_email": 1, "file_symlink": 1])
    }

    /// The week's daily counters become rejects by reason (accepted and
    /// duplicate lines are not rejects, and no count of them is kept) and
    /// the days each watched source sent on.
    @Test func dailyCountersBecomeRejectsAndDaysSent() {
        var f = HealthReportFacts(week: "2026-W48", first: HealthReportSamples.day(1), last: HealthReportSamples.day(7))
        let days: [(day: DateText.Day, counters: [String: [String: Int]])] = [
            (HealthReportSamples.day(1), ["webfilter": ["accepted": 40], "": ["malformed_json": 2]]),
            (HealthReportSamples.day(2), ["webfilter": ["duplicate": 1], "helpknop": ["accepted": 0]]),
            (HealthReportSamples.day(3), ["": ["malformed_json": 1, "file_symlink": 1]]),
        ]
        f.count(days: days, sources: ["webfilter", "helpknop", "portal"], silenceLimits: ["webfilter": .days(1), "helpknop": .days(2)])
        #expect(f.days == 3)
        #expect(f.rejects == ["malformed_json": 3, "file_symlink": 1])
        #expect(f.watched.map(\.name) == ["webfilter", "helpknop"])
        #expect(f.watched[0].daysSent == [HealthReportSamples.day(1), HealthReportSamples.day(2)], "a duplicate shows the source is alive")
        #expect(f.watched[1].daysSent.isEmpty)
        #expect(f.unwatched == ["portal"])
        #expect(f.silentAllWeek == ["helpknop"] && f.needsAttention)
    }
}
