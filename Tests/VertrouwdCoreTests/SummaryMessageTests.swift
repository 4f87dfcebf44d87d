import Foundation
import Testing
import VertrouwdCore

enum SummarySamples {
    static let week48 = SummaryContent(
        id: "9a1d2b3c4d5e6f708192a3b4c5d6e7f8", week: "2026-W48",
        first: AlertSamples.monday, last: AlertSamples.sunday,
        tables: [
            .init(name: "category", rows: [.init(key: "sextortion.payment", value: "10"), .init(key: "sextortion.threat", value: "<5"),
                                           .init(key: "grooming", value: "<5"), .init(key: "help_seeking", value: "5")], total: "20"),
            .init(name: "channel_group", rows: [.init(key: "social", value: "15"), .init(key: "gaming", value: "<5"), .init(key: "", value: "<5")], total: "20"),
            .init(name: "site", rows: [.init(key: "hoofdgebouw", value: "15"), .init(key: "dependance", value: "5")], total: "20"),
            .init(name: "cohort_group", rows: [.init(key: "onderbouw", value: "<5"), .init(key: "bovenbouw", value: "15"), .init(key: "", value: "<5")], total: "20"),
        ],
        trend: [
            .init(week: "2026-W41", total: "<5", categories: ["sextortion.payment": "<5", "sextortion.threat": "<5", "grooming": "<5", "help_seeking": "<5"]),
            .init(week: "2026-W42", total: "5", categories: ["sextortion.payment": "<5", "sextortion.threat": "<5", "grooming": "<5", "help_seeking": "5"]),
            // No summary that week (the server was off): a gap.
            .init(week: "2026-W43", total: nil),
            .init(week: "2026-W44", total: "10", categories: ["sextortion.payment": "5", "sextortion.threat": "<5", "grooming": "<5", "help_seeking": "5"]),
            // The category table was left out that week: its total stands, its rows are gaps.
            .init(week: "2026-W45", total: "5"),
            .init(week: "2026-W46", total: "10", categories: ["sextortion.payment": "5", "sextortion.threat": "x", "grooming": "<5", "help_seeking": "x"]),
            .init(week: "2026-W47", total: "15", categories: ["sextortion.payment": "<5", "sextortion.threat": "x", "grooming": "5", "help_seeking": "5"]),
            .init(week: "2026-W48", total: "20", categories: ["sextortion.payment": "10", "sextortion.threat": "<5", "grooming": "<5", "help_seeking": "5"]),
        ],
        alerts: [.init(rule: "sextortion-acuut", window: "2026-11-27", atLeast: 5, categories: ["sextortion.threat", "sextortion.payment"]),
                 .init(rule: "sextortion-week", window: "2026-W48", atLeast: 10, categories: ["sextortion.payment"],
                       group: GroupKey([.init(.category, .known("sextortion.payment")), .init(.site, .known("hoofdgebouw"))])),
                 .init(rule: "grooming-klas", window: "2026-W48", atLeast: 5, categories: ["grooming"],
                       group: GroupKey([.init(.cohortGroup, .unknown)]))])

    static let quiet = SummaryContent(
        id: "00000000000000000000000000000048", week: "2026-W48", first: AlertSamples.monday, last: AlertSamples.sunday,
        tables: [.init(name: "category", rows: [.init(key: "grooming", value: "<5")], total: "<5")],
        trend: [], alerts: [],
        withheldTables: ["cohort_group", "site"])

    static let cases = [("week48", week48), ("quiet", quiet)]
}

@Suite struct SummaryMessageTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/summaries")

    static var renderings: [String] {
        SummarySamples.cases.flatMap { c in Language.allCases.flatMap { l in ["txt", "html", "json"].map { "\(c.0).\(l.rawValue).\($0)" } } }
    }

    @Test(arguments: renderings)
    func renderingMatchesItsGoldenFile(file: String) throws {
        let parts = file.split(separator: ".")
        let content = SummarySamples.cases.first { $0.0 == parts[0] }!.1
        let message = SummaryMessage(content, taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege",
                                     language: Language(rawValue: String(parts[1]))!, k: 5)
        let actual = parts[2] == "txt" ? message.text : parts[2] == "html" ? message.html : message.json + "\n"
        let url = Self.golden.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" { try actual.write(to: url, atomically: true, encoding: .utf8) }
        #expect(actual == (try String(contentsOf: url, encoding: .utf8)), "\(file) differs")
    }

    @Test func jsonFollowsTheSocketSchema() throws {
        let json = SummaryMessage(SummarySamples.week48, taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 5).json
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "summary")
        #expect(object["week"] as? String == "2026-W48")
        let tables = try #require(object["tables"] as? [[String: Any]])
        #expect(tables.map { $0["name"] as? String } == ["category", "channel_group", "site", "cohort_group"])
        for table in tables {
            for row in try #require(table["rows"] as? [[String: String]]) {
                let value = try #require(row["value"])
                #expect(value == "<5" || (Int(value).map { $0 >= 5 } ?? false), "every value is <k or a count ≥ k: \(value)")
            }
        }
        let alerts = try #require(object["alerts"] as? [[String: Any]])
        #expect(alerts.allSatisfy { ($0["at_least"] as? Int ?? 0) >= 5 })
    }

    @Test func sparklineScalesToTheLargestWeek() {
        let m = SummaryMessage(SummarySamples.week48, taxonomy: messageTaxonomy, schoolName: "X", language: .en, k: 5)
        #expect(m.sparkline == "▁▂·▄▂▄▆█", "a week without a summary is a gap")
    }

    /// Tables, trend and alert lines say they count pupils.
    @Test func countsAreNumbersOfPupils() {
        let nl = SummaryMessage(SummarySamples.week48, taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 5).text
        for heading in ["Leerlingen per soort signaal", "Leerlingen per soort kanaal", "Leerlingen per locatie",
                        "Leerlingen per afdeling", "Verloop (leerlingen per week)"] {
            #expect(nl.contains("\n\(heading)\n"), "\(heading)")
        }
        #expect(nl.contains("aantallen verschillende leerlingen; in een tabel telt elke leerling één keer"))
    }

    /// Health left the summary for IT's weekly health report (issue 15 §3,
    /// s7-health): no section, no footer sentence, no JSON field.
    @Test func theSummaryShowsNoHealth() throws {
        for language in Language.allCases {
            for (_, content) in SummarySamples.cases {
                let m = SummaryMessage(content, taxonomy: messageTaxonomy, schoolName: "X", language: language, k: 5)
                for word in ["Werking", "Health", "Afgewezen", "Rejected", "spool"] {
                    #expect(!m.text.contains(word) && !m.html.contains(word), "\(word) in the \(language) summary")
                }
                let object = try #require(try JSONSerialization.jsonObject(with: Data(m.json.utf8)) as? [String: Any])
                #expect(object["health"] == nil)
            }
        }
    }

    /// The trust contact finds where help is in the summary too, and each
    /// week's subject names its week.
    @Test func theSummaryGivesTheHelpSectionAndItsSubjectNamesTheWeek() {
        for language in Language.allCases {
            let m = SummaryMessage(SummarySamples.quiet, taxonomy: messageTaxonomy, schoolName: "X", language: language, k: 5)
            for line in MessageCatalog.help(language) {
                #expect(m.text.contains("  - " + line + "\n") && m.html.contains(HTMLEscape.text(line)))
            }
        }
        #expect(SummaryMessage(SummarySamples.quiet, taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 5).subject
                == "vertrouwd: weekoverzicht week 48 van 2026")
        #expect(SummaryMessage(SummarySamples.quiet, taxonomy: messageTaxonomy, schoolName: "X", language: .en, k: 5).subject
                == "vertrouwd: weekly summary week 48 of 2026")
    }

    /// Outlook draws a bar only as a table cell with width and bgcolor.
    @Test func trendBarsAreTableCellsNotDivs() {
        let html = SummaryMessage(SummarySamples.week48, taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 5).html
        #expect(!html.contains("<div style=\"background"))
        #expect(html.contains("<td width=\"300\" height=\"12\" bgcolor=\"#1f4e79\""))
        #expect(html.contains("<td width=\"2\" height=\"12\" bgcolor=\"#1f4e79\""), "a \"<5\" week still shows a sliver")
    }
}
