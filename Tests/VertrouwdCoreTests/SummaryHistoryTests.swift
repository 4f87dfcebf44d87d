import Foundation
import Testing
@testable import VertrouwdCore

/// The summary speaks school (issue 15 §3): alert lines say what, where and
/// when; the category table shows the previous week exactly as it was sent
/// and a trend per category; weeks without a summary are gaps; one "wat
/// valt op" sentence, from shown values only; the school's own contacts.
@Suite struct SummaryHistoryTests {
    func message(_ content: SummaryContent, _ language: Language = .nl, advice: AdviceSettings = AdviceSettings()) -> SummaryMessage {
        SummaryMessage(content, taxonomy: messageTaxonomy, schoolName: "X", language: language, k: 5, advice: advice)
    }

    /// A week 48 with `rows` this week and `previous` as week 47's summary showed it.
    func week(_ rows: [(String, String)], previous: [String: String]?, previousTotal: String? = "10") -> SummaryContent {
        var c = SummarySamples.week48
        c.tables[0].rows = rows.map { .init(key: $0.0, value: $0.1) }
        c.trend = [.init(week: "2026-W47", total: previousTotal, categories: previous),
                   .init(week: "2026-W48", total: c.tables[0].total, categories: Dictionary(uniqueKeysWithValues: rows))]
        return c
    }

    @Test func alertLinesNameWhatWhereAndWhenNotRuleIdsOrISODates() {
        let nl = message(SummarySamples.week48).text
        #expect(nl.contains("  - Afpersing: dreiging, Afpersing: betaalverzoek — de hele school — vrijdag 27 november 2026: ten minste 5 leerlingen\n"))
        #expect(nl.contains("  - Afpersing: betaalverzoek — Hoofdgebouw — week 48 (23 t/m 29 november 2026): ten minste 10 leerlingen\n"))
        #expect(nl.contains("  - Grooming — afdeling onbekend — week 48 (23 t/m 29 november 2026): ten minste 5 leerlingen\n"))
        let en = message(SummarySamples.week48, .en).text
        #expect(en.contains("  - Sextortion: payment demand — Main building — week 48 (23–29 November 2026): at least 10 pupils\n")
                    || en.contains("  - Sextortion: payment demand — Main building — week 48 ("), "\(en)")
        for text in [nl, en] {
            #expect(!text.contains("sextortion-acuut") && !text.contains("sextortion-week") && !text.contains("grooming-klas"))
            #expect(!text.contains("2026-11-27") && !text.contains("2026-W4"), "no rule ids, no ISO dates or weeks")
        }
        // The socket message keeps the rule and the window for programs.
        let json = message(SummarySamples.week48).json
        #expect(json.contains(#""rule":"sextortion-week","window":"2026-W48","at_least":10,"categories":["sextortion.payment"],"group":{"category":"sextortion.payment","site":"hoofdgebouw"}"#))
    }

    /// A line without what it was about (an older caller) still says which rule.
    @Test func anAlertLineWithoutCategoriesNamesItsRule() {
        var c = SummarySamples.week48
        c.alerts = [.init(rule: "oud", window: "2026-11-27", atLeast: 5)]
        #expect(message(c).text.contains("  - regel oud — de hele school — vrijdag 27 november 2026: ten minste 5 leerlingen\n"))
    }

    /// The previous week's column is the text that week's summary showed:
    /// "<5", "x" and numbers stay as they were; a category it did not show
    /// and a week without a summary are "–".
    @Test func thePreviousWeekIsShownExactlyAsItWasSent() {
        let c = week([("sextortion.payment", "10"), ("sextortion.threat", "<5"), ("grooming", "5"), ("help_seeking", "x")],
                     previous: ["sextortion.payment": "x", "sextortion.threat": "15", "grooming": "<5"])
        let text = message(c).text
        #expect(text.contains("                            deze week  vorige week  verloop\n"), "\(text)")
        #expect(text.contains("  Afpersing: betaalverzoek  10         x            x▅\n"), "\(text)")
        #expect(text.contains("  Afpersing: dreiging       <5         15           █▁\n"), "\(text)")
        #expect(text.contains("  Grooming                  5          <5           ▁▃\n"), "\(text)")
        #expect(text.contains("  Hulpvraag                 x          –            ·x\n"), "\(text)")
        #expect(text.contains("  Totaal                    20         10           ▄█\n"), "\(text)")
        let html = message(c).html
        #expect(html.contains(">vorige week</th>"))
        #expect(html.contains("<td style=\"padding:4px 12px 4px 0;border-bottom:1px solid #e0e0e0;text-align:right;color:#555555;\">15</td>"))
    }

    @Test func aWeekWithoutASummaryIsAGapInTheTrendAndTheColumn() {
        let c = week([("sextortion.payment", "10")], previous: nil, previousTotal: nil)
        let text = message(c).text
        #expect(text.contains("  Afpersing: betaalverzoek  10         –            ·█\n"), "\(text)")
        #expect(text.contains("  week 47 ·█ week 48\n  – 20\n"), "\(text)")
        #expect(message(c).html.contains(">geen overzicht</td>"))
        #expect(message(c).json.contains(#"{"week":"2026-W47","total":null}"#))
    }

    @Test func whatStandsOutIsTheLargestChangeBetweenShownValues() {
        let c = week([("sextortion.payment", "10"), ("sextortion.threat", "<5"), ("grooming", "20"), ("help_seeking", "x")],
                     previous: ["sextortion.payment": "<5", "sextortion.threat": "<5", "grooming": "10", "help_seeking": "5"])
        // payment: <5 → 10 ranks 10; grooming: 10 → 20 ranks 10, later; help_seeking's "x" is never compared.
        #expect(message(c).standsOut == "Wat valt op: de grootste verandering sinds vorige week is ‘Afpersing: betaalverzoek’, van minder dan 5 naar 10 leerlingen.")
        #expect(message(c, .en).standsOut == "What stands out: the largest change since last week is ‘Sextortion: payment demand’, from fewer than 5 to 10 pupils.")
        #expect(message(c).text.hasPrefix(message(c).title + "\n\nWat valt op: "))
    }

    /// A hidden value ("x") is never compared, so the sentence cannot hint
    /// at what it hides.
    @Test func whatStandsOutNeverComparesAHiddenValue() {
        let c = week([("sextortion.payment", "x"), ("grooming", "5")], previous: ["sextortion.payment": "40", "grooming": "5"])
        #expect(message(c).standsOut == "Wat valt op: per soort signaal laat dit overzicht geen verschil met vorige week zien.")
    }

    @Test func whatStandsOutWithoutAPreviousSummary() {
        var c = SummarySamples.week48
        c.trend = [.init(week: "2026-W48", total: "20")]
        #expect(message(c).standsOut == "Wat valt op: er is geen overzicht per soort signaal van vorige week om mee te vergelijken.")
        #expect(!message(c).text.contains("vorige week  verloop"), "no history columns without an earlier week")
        c.tables.removeAll { $0.name == "category" }
        #expect(message(c).standsOut == nil, "nothing to say when the category table is left out")
    }

    /// The school's contacts come first in the help section, and its own
    /// text replaces a shipped line; "" leaves one out.
    @Test func theHelpSectionListsTheSchoolsContactsAndCorrections() {
        let advice = AdviceSettings(
            contacts: [.init(role: "Zorgcoördinator", name: "J. de Vries", phone: "010-123 45 67", email: "zorg@school.nl"),
                       .init(role: "Wijkagent", phone: "06-12345678")],
            lines: [.nl: ["help-police": "Politie: 0900-8844, bij direct gevaar 112; wijkagent via 0900-8844.", "help-kindertelefoon": ""]])
        let text = message(SummarySamples.quiet, advice: advice).text
        #expect(text.contains("Hulp en advies\n  - Zorgcoördinator (J. de Vries): 010-123 45 67, zorg@school.nl\n  - Wijkagent: 06-12345678\n  - Helpwanted.nl"))
        #expect(text.contains("  - Politie: 0900-8844, bij direct gevaar 112; wijkagent via 0900-8844.\n"))
        #expect(!text.contains("Kindertelefoon: 0800-0432"))
        // The English rendering keeps the shipped English line.
        #expect(message(SummarySamples.quiet, .en, advice: advice).text.contains("  - Police: 0900-8844, in an emergency 112.\n"))
    }

    /// The enriched alert lines are the same alerts, bands and order as
    /// `SummaryAlerts.lines`, which the disclosure check reads.
    @Test func alertLinesAgreeWithTheLinesTheCheckReads() throws {
        let zone = TimeZone(identifier: "Europe/Amsterdam")!
        let week = try #require(Window.week(label: "2026-W48", in: zone))
        let day = Window.containing(week.start + 4 * 86_400 + 3_600, kind: .day, in: zone)
        let rules = [
            Rule(name: "sextortion-acuut", kind: .threshold(window: .day), match: [CategoryPattern("sextortion.*")], minCount: 5,
                 groupBy: [], severity: .high),
            Rule(name: "per-site", kind: .threshold(window: .week), match: [CategoryPattern("grooming")], minCount: 5,
                 groupBy: [.site, .category], severity: .medium),
        ]
        let site = GroupKey([.init(.category, .known("grooming")), .init(.site, .known("hoofdgebouw"))])
        let unknown = GroupKey([.init(.category, .known("grooming")), .init(.site, .unknown)])
        let log = [
            AlertKey(rule: "sextortion-acuut", windowStart: day.start, group: .wholeSchool, band: 5),
            AlertKey(rule: "sextortion-acuut", windowStart: day.start, group: .wholeSchool, band: 10),
            AlertKey(rule: "per-site", windowStart: week.start, group: site, band: 5),
            AlertKey(rule: "per-site", windowStart: week.start, group: unknown, band: 5),
            AlertKey(rule: "removed", windowStart: week.start, group: .wholeSchool, band: 5),
            AlertKey(rule: "per-site", windowStart: week.start - 604_800, group: site, band: 20),
        ]
        let cells = SummaryCells(taxonomy: messageTaxonomy)
        let checked = SummaryAlerts(week: week, log: log, rules: rules, cells: cells, zone: zone).lines
        let lines = SummaryContent.AlertLine.lines(week: week, log: log, rules: rules, taxonomy: messageTaxonomy, zone: zone)
        #expect(lines.map { [$0.rule, $0.window, String($0.atLeast)] } == checked.map { [$0.rule, $0.window, String($0.atLeast)] })
        #expect(lines.count == 3)
        #expect(lines.first { $0.rule == "sextortion-acuut" }?.categories == ["sextortion.threat", "sextortion.payment"])
        #expect(lines.first { $0.rule == "sextortion-acuut" }?.atLeast == 10, "the highest band")
        #expect(lines.filter { $0.rule == "per-site" }.map(\.categories) == [["grooming"], ["grooming"]])
    }

    /// Over many random weeks: the sentence names one category and exactly
    /// the two values the table shows for it (this week, and last week as
    /// sent), never an "x", a gap or a number no column shows.
    @Test func whatStandsOutOnlyRestatesShownValues() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let values = ["<5", "5", "10", "15", "20", "x"]
        let keys = ["sextortion.payment", "sextortion.threat", "grooming", "help_seeking"]
        for _ in 0..<500 {
            let rows = keys.map { ($0, values[next(values.count)]) }
            var previous: [String: String] = [:]
            for key in keys where next(4) > 0 { previous[key] = values[next(values.count)] }
            let m = message(week(rows, previous: previous))
            let sentence = m.standsOut!
            guard sentence.contains("de grootste verandering") else {
                // No change: every comparable pair is equal.
                for (key, now) in rows {
                    if let was = previous[key], let a = SummaryMessage.rank(was), let b = SummaryMessage.rank(now) { #expect(a == b || was == now) }
                }
                continue
            }
            let named = rows.filter { sentence.contains("‘\(m.keyLabel($0.0))’") }
            #expect(named.count == 1, "\(sentence)")
            guard let (key, now) = named.first, let was = previous[key] else { Issue.record("\(sentence)"); continue }
            #expect(now != "x" && was != "x", "a hidden value is never compared: \(sentence)")
            #expect(sentence.hasSuffix("van \(m.spoken(was)) naar \(m.spoken(now)) leerlingen."), "\(sentence) for \(was) → \(now)")
        }
    }
}
