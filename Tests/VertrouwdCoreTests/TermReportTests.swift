import Foundation
import Testing
import VertrouwdCore

/// Stored weeks for the term overview, each frozen the way the daemon
/// stores a published summary (SummaryPublisher): the envelope holds the
/// summary's renderings in every language, made here by the real
/// `SummaryMessage`, so the overview reads exactly what was published.
enum TermReportSamples {
    static let zone = TimeZone(identifier: "Europe/Amsterdam")!

    static func window(_ label: String) -> Window { Window.week(label: label, in: zone)! }

    /// A week's content as its summary showed it.
    static func content(_ week: String, categories: [(String, String)], total: String, alerts: [SummaryContent.AlertLine] = [],
                        holiday: Bool = false, withheld: [String] = []) -> SummaryContent {
        let w = window(week)
        var tables: [SummaryContent.Table] = []
        if !withheld.contains("category") {
            tables.append(.init(name: "category", rows: categories.map { .init(key: $0.0, value: $0.1) }, total: total))
        }
        tables.append(.init(name: "site", rows: [.init(key: "hoofdgebouw", value: total), .init(key: "dependance", value: "<5")], total: total))
        var c = SummaryContent(id: "0000000000000000000000000000\(week.suffix(4))", week: week,
                               first: DateText.Day(instant: w.start, zone: zone), last: DateText.Day(instant: w.end - 1, zone: zone),
                               tables: tables, trend: [], alerts: alerts,
                               withheldTables: withheld)
        c.holidayWeek = holiday
        return c
    }

    /// The frozen envelope the state database stores for `content`.
    static func envelope(_ content: SummaryContent) -> String {
        var renderings: [String: [String: String]] = [:]
        for language in Language.allCases {
            let m = SummaryMessage(content, taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege", language: language, k: 5)
            renderings[language.rawValue] = ["subject": m.subject, "text": m.text, "html": m.html, "json": m.json]
        }
        let object: [String: Any] = ["week": content.week, "total": content.tables.first?.total ?? "", "renderings": renderings]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static let categoryRows = ["grooming", "sextortion.threat", "sextortion.payment", "help_seeking", "distress"]

    /// W45 to W51 of 2026: a quiet week, a gap (the server was off), a
    /// holiday week, SummarySamples' week 48 with its alerts, a week whose
    /// category table was left out, a stored summary that does not read,
    /// and a week shown under a category the taxonomy no longer has.
    static let contents: [SummaryContent] = [
        content("2026-W45", categories: zip(categoryRows, ["<5", "x", "5", "<5", "<5"]).map { ($0, $1) }, total: "10"),
        content("2026-W47", categories: zip(categoryRows, ["<5", "<5", "<5", "<5", "<5"]).map { ($0, $1) }, total: "<5", holiday: true),
        SummarySamples.week48,
        content("2026-W49", categories: [], total: "15",
                alerts: [.init(rule: "grooming-klas", window: "2026-12-02", atLeast: 5, categories: ["grooming"],
                               group: GroupKey([.init(.cohortGroup, .known("bovenbouw"))]))],
                withheld: ["category"]),
        content("2026-W51", categories: [("grooming", "5"), ("sexting.old", "<5")], total: "10"),
    ]

    static let stored: [String: String] = {
        var s = Dictionary(uniqueKeysWithValues: contents.map { ($0.week, envelope($0)) })
        s["2026-W50"] = #"{"week":"2026-W50","total":"5","renderings":{"nl":{"json":"not json"}}}"#
        return s
    }()

    static func report(_ language: Language, from: String = "2026-W45", to: String = "2026-W51") -> TermReport {
        TermReport.build(from: window(from), to: window(to), zone: zone, language: language) { stored[$0] }
    }
}

@Suite struct TermReportTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/reports")

    @Test(arguments: Language.allCases)
    func pageMatchesItsGoldenFile(language: Language) throws {
        let page = TermReportPage(TermReportSamples.report(language), taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege",
                                  language: language, k: 5)
        let url = Self.golden.appendingPathComponent("term.\(language.rawValue).html")
        if ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try page.html.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(page.html == (try String(contentsOf: url, encoding: .utf8)), "term.\(language.rawValue).html differs")
    }

    /// Every week of the period is there, and each reads back as its
    /// summary showed it: the gap as a gap, the damaged one as unreadable.
    @Test func weeksReadBackExactlyAsPublished() throws {
        let report = TermReportSamples.report(.nl)
        #expect(report.weeks.map(\.label) == (45...51).map { "2026-W\($0)" })
        #expect(report.weeks[1].state == .missing)
        #expect(report.weeks[5].state == .unreadable)
        for content in TermReportSamples.contents {
            let week = try #require(report.weeks.first { $0.label == content.week }?.published, "\(content.week)")
            let table = content.tables.first { $0.name == "category" }
            #expect(week.categories == table.map { Dictionary(uniqueKeysWithValues: $0.rows.map { ($0.key, $0.value) }) })
            #expect(week.categoryOrder == (table?.rows.map(\.key) ?? []))
            #expect(week.total == content.tables.first?.total)
            #expect(week.holiday == content.holidayWeek)
            #expect(week.alerts == content.alerts, "\(content.week)")
        }
        #expect(report.weekCounts == (published: 5, holiday: 1, gaps: 2))
        #expect(report.weeks.first { $0.label == "2026-W48" }?.first == AlertSamples.monday)
        #expect(report.weeks.first { $0.label == "2026-W48" }?.last == AlertSamples.sunday)
    }

    /// The overview adds nothing: every number cell holds a value that
    /// week's summary showed (or "–" where it showed none), and there is
    /// no row that adds weeks up.
    @Test func everyNumberIsOneAPublishedSummaryShowed() throws {
        for language in Language.allCases {
            let report = TermReportSamples.report(language)
            let html = TermReportPage(report, taxonomy: messageTaxonomy, schoolName: "X", language: language, k: 5).html
            let section = try #require(html.range(of: "<section class=\"weeks\">")).upperBound
            let table = html[section...]
            let rows = table[..<(try #require(table.range(of: "</section>")).lowerBound)]
                .split(separator: "\n").filter { $0.hasPrefix("<tr") && !$0.contains("<th>") }
            #expect(rows.count == report.weeks.count, "one row per week")
            var checked = 0
            for (row, week) in zip(rows, report.weeks) {
                let shown = Set(week.published?.categories.map { Array($0.values) } ?? []).union([week.published?.total].compactMap { $0 })
                for match in row.matches(of: /<td class="n[^"]*">([^<]*)<\/td>/) {
                    let value = String(match.1).replacingOccurrences(of: "&lt;", with: "<")
                    #expect(value == "–" || shown.contains(value), "\(week.label) shows \(value), which its summary did not")
                    checked += 1
                }
            }
            #expect(checked == 4 * 7 + 1, "four weeks with a category table (six columns and a total), one with a total only: \(checked)")
            #expect(!html.contains(">Totaal over") && !html.contains(">Total over"))
        }
    }

    @Test func gapsHolidaysAndLeftOutTablesAreMarked() {
        let nl = TermReportPage(TermReportSamples.report(.nl), taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 5).html
        #expect(nl.contains("<tr class=\"gap\"><th scope=\"row\">week 46 van 2026<span class=\"dates\">9 t/m 15 november 2026</span></th><td colspan=\"7\">geen overzicht</td></tr>"))
        #expect(nl.contains("<tr class=\"holiday\"><th scope=\"row\">week 47 van 2026<span class=\"dates\">16 t/m 22 november 2026</span><span class=\"tag\">vakantie</span></th>"))
        #expect(nl.contains("<td colspan=\"6\" class=\"note\">tabel weggelaten: de aantallen hadden een leerling kunnen aanwijzen</td><td class=\"n total\">15</td>"))
        #expect(nl.contains("<td colspan=\"7\">overzicht onleesbaar</td>"))
        #expect(nl.contains("<li>Grooming — Bovenbouw — woensdag 2 december 2026: ten minste 5 leerlingen</li>"))
        #expect(nl.contains("<li>Afpersing: dreiging, Afpersing: betaalverzoek — de hele school — vrijdag 27 november 2026: ten minste 5 leerlingen</li>"))
        let en = TermReportPage(TermReportSamples.report(.en), taxonomy: messageTaxonomy, schoolName: "X", language: .en, k: 5).html
        #expect(en.contains("<td colspan=\"7\">no summary</td>") && en.contains("<span class=\"tag\">holiday</span>"))
        #expect(en.contains("<html lang=\"en\">") && nl.contains("<html lang=\"nl\">"))
    }

    /// Columns follow the taxonomy; a category an earlier summary showed
    /// and the taxonomy no longer has keeps its column, at the end.
    @Test func categoryColumnsFollowTheTaxonomyThenRemovedCategories() {
        #expect(TermReportSamples.report(.nl).categoryColumns(messageTaxonomy)
                == ["grooming", "sextortion.threat", "sextortion.payment", "help_seeking", "distress", "sexting.old"])
        let gapsOnly = TermReport.build(from: TermReportSamples.window("2026-W46"), to: TermReportSamples.window("2026-W46"),
                                        zone: TermReportSamples.zone, language: .nl) { _ in nil }
        #expect(gapsOnly.categoryColumns(messageTaxonomy).isEmpty)
        #expect(gapsOnly.weekCounts == (published: 0, holiday: 0, gaps: 1))
    }

    @Test func thePeriodSpansYearsAndWeek53() {
        let windows = TermReport.windows(from: TermReportSamples.window("2026-W52"), to: TermReportSamples.window("2027-W02"),
                                         zone: TermReportSamples.zone)
        #expect(windows.map(\.label) == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"])
        #expect(TermReport.windows(from: TermReportSamples.window("2026-W02"), to: TermReportSamples.window("2026-W01"),
                                   zone: TermReportSamples.zone).isEmpty)
        let report = TermReport.build(from: windows[0], to: windows[3], zone: TermReportSamples.zone, language: .nl) { _ in nil }
        let nl = TermReportPage(report, taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 5)
        #expect(nl.period == "week 52 van 2026 t/m week 2 van 2027 (21 december 2026 t/m 17 januari 2027)")
        let en = TermReportPage(report, taxonomy: messageTaxonomy, schoolName: "X", language: .en, k: 5)
        #expect(en.period == "week 52 of 2026 to week 2 of 2027 (21 December 2026 to 17 January 2027)")
    }

    /// The legend explains the "<N" the table shows; with none, the
    /// config's k.
    @Test func theLegendExplainsTheBelowKValuesShown() {
        let page = TermReportPage(TermReportSamples.report(.nl), taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 7)
        #expect(page.html.contains("<dt>\u{201C}&lt;5\u{201D}</dt><dd>minder dan 5 leerlingen;"))
        #expect(!page.html.contains("&lt;7"))
        let empty = TermReport.build(from: TermReportSamples.window("2026-W46"), to: TermReportSamples.window("2026-W46"),
                                     zone: TermReportSamples.zone, language: .en) { _ in nil }
        let en = TermReportPage(empty, taxonomy: messageTaxonomy, schoolName: "X", language: .en, k: 7).html
        #expect(en.contains("<dt>\u{201C}&lt;7\u{201D}</dt><dd>fewer than 7 pupils;"))
        #expect(en.contains("The weeks are deliberately not added up."))
    }

    @Test func anEnvelopeThatDoesNotReadIsNotGuessedAt() {
        #expect(TermReport.published(frozen: "not json", language: .nl) == nil)
        #expect(TermReport.published(frozen: #"{"week":"2026-W45","total":"5","renderings":{}}"#, language: .nl) == nil)
        let badAlert = #"{"type":"summary","tables":[],"alerts":[{"rule":"r"}]}"#
        let envelope = try! String(decoding: JSONSerialization.data(withJSONObject: ["renderings": ["en": ["json": badAlert]]]), as: UTF8.self)
        #expect(TermReport.published(frozen: envelope, language: .nl) == nil, "an alert without its band is not shown without it")
        // The values are the same in every language: a missing one falls back.
        let onlyEnglish = try! String(decoding: JSONSerialization.data(withJSONObject: [
            "total": "<5", "renderings": ["en": ["json": #"{"tables":[{"name":"category","rows":[{"key":"grooming","value":"<5"}],"total":"<5"}]}"#]],
        ]), as: UTF8.self)
        #expect(TermReport.published(frozen: onlyEnglish, language: .nl)?.categories == ["grooming": "<5"])
    }

    /// Printing: A4, the table head repeated on every page, rows kept
    /// whole, the alerts on a page of their own.
    @Test func thePageCarriesPrintCSS() {
        let html = TermReportPage(TermReportSamples.report(.nl), taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 5).html
        for rule in ["@page { size: A4 landscape;", "thead { display: table-header-group; }", "tr { break-inside: avoid;",
                     ".alerts { break-before: page;"] {
            #expect(html.contains(rule), "\(rule)")
        }
        #expect(!html.contains("<script"), "a page chromium prints runs nothing")
    }
}
