import Foundation
import PropertyBased
import Testing
import VertrouwdCore

/// A random period of stored weeks: each a gap or a published summary with
/// random shown values ("<5", "x", multiples of 5), holiday marks, left-out
/// tables and alerts.
struct TermCase: Sendable, CustomStringConvertible {
    var first: String
    /// One per week of the period; nil for a week without a summary.
    var weeks: [SummaryContent?]

    var description: String {
        "from \(first): " + weeks.map { w in
            guard let w else { return "gap" }
            let values = (w.tables.first { $0.name == "category" }?.rows.map { "\($0.key)=\($0.value)" } ?? ["withheld"])
            return "\(w.week)[\(values.joined(separator: ",")) total=\(w.tables.first?.total ?? "-") alerts=\(w.alerts.map(\.atLeast)) holiday=\(w.holidayWeek)]"
        }.joined(separator: "; ")
    }
}

enum TermGen {
    static func value(_ rng: inout some RandomNumberGenerator) -> String {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: "<5"
        case 1: "x"
        default: String(5 * Int.random(in: 1...40, using: &rng))
        }
    }

    static let period = Generator<TermCase, Shrink.None<TermCase>>(run: { rng in
        let zone = TermReportSamples.zone
        let year = Int.random(in: 2025...2027, using: &rng)
        var window = Window.week(label: "\(year)-W\(String(format: "%02d", Int.random(in: 1...52, using: &rng)))", in: zone)!
        let first = window.label
        var weeks: [SummaryContent?] = []
        for _ in 0..<Int.random(in: 1...14, using: &rng) {
            defer { window = window.next(in: zone) }
            guard Int.random(in: 0..<4, using: &rng) != 0 else { weeks.append(nil); continue }
            let categories = messageTaxonomy.categories.values.filter { _ in Bool.random(using: &rng) }
            let alerts = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                SummaryContent.AlertLine(rule: "r", window: window.label, atLeast: [5, 10, 20, 40].randomElement(using: &rng)!,
                                         categories: categories.isEmpty ? [] : [categories.randomElement(using: &rng)!],
                                         group: Bool.random(using: &rng) ? .wholeSchool : GroupKey([.init(.site, .known("hoofdgebouw"))]))
            }
            weeks.append(TermReportSamples.content(window.label, categories: categories.map { ($0, value(&rng)) }, total: value(&rng),
                                                   alerts: alerts, holiday: Int.random(in: 0..<5, using: &rng) == 0,
                                                   withheld: Int.random(in: 0..<6, using: &rng) == 0 ? ["category"] : []))
        }
        return TermCase(first: first, weeks: weeks)
    })
}

@Suite struct TermReportPropertyTests {
    /// The rows of one section's table body.
    static func rows(_ html: String, section: String) -> [Substring] {
        guard let start = html.range(of: "<section class=\"\(section)\">"),
              let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return [] }
        // A row of the alerts table spans lines (one per alert): cut at "</tr>".
        return html[start.upperBound..<end.lowerBound].split(separator: "</tr>")
            .compactMap { piece in piece.range(of: "<tr").map { piece[$0.lowerBound...] } }
            .filter { $0.contains("<th scope=\"row\">") }
    }

    /// Whatever was stored, the overview shows each week's values as its
    /// summary showed them and nothing else: no cell holds a value that
    /// week did not show, a gap stays a gap, and an alert's "at least"
    /// is one that week listed.
    @Test func theOverviewAddsNoNumber() async {
        await propertyCheck(count: 150, input: TermGen.period) { period in
            let zone = TermReportSamples.zone
            let from = Window.week(label: period.first, in: zone)!
            var to = from
            for _ in 1..<period.weeks.count { to = to.next(in: zone) }
            let stored = Dictionary(uniqueKeysWithValues: period.weeks.compactMap { $0 }.map { ($0.week, TermReportSamples.envelope($0)) })
            for language in Language.allCases {
                let report = TermReport.build(from: from, to: to, zone: zone, language: language) { stored[$0] }
                let html = TermReportPage(report, taxonomy: messageTaxonomy, schoolName: "X", language: language, k: 5).html
                let table = Self.rows(html, section: "weeks"), alerts = Self.rows(html, section: "alerts")
                let alerted = period.weeks.compactMap { $0 }.filter { !$0.alerts.isEmpty }
                #expect(table.count == period.weeks.count && alerts.count == alerted.count, "\(period)")
                for (i, content) in period.weeks.enumerated() where i < table.count {
                    let cells = table[i].matches(of: /<td class="n[^"]*">([^<]*)<\/td>/).map { String($0.1).replacingOccurrences(of: "&lt;", with: "<") }
                    guard let content else {
                        #expect(table[i].hasPrefix("<tr class=\"gap\">") && cells.isEmpty, "\(period)")
                        continue
                    }
                    let category = content.tables.first { $0.name == "category" }
                    let shown = Set(category?.rows.map(\.value) ?? []).union([content.tables.first!.total])
                    for value in cells {
                        #expect(value == "–" || shown.contains(value), "\(content.week) shows \(value): \(period)")
                    }
                    #expect(cells.last == content.tables.first!.total, "the week's own total: \(period)")
                    #expect(table[i].contains("class=\"tag\"") == content.holidayWeek)
                }
                // Each listed week's "at least" values are the ones its summary listed.
                for (row, content) in zip(alerts, alerted) {
                    let bands = row.matches(of: /(?:ten minste|at least) ([0-9]+)\b/).map { Int($0.1)! }
                    #expect(bands == content.alerts.map(\.atLeast), "\(content.week): \(period)")
                }
                if alerted.isEmpty { #expect(html.contains("Geen van de weekoverzichten") || html.contains("None of the weekly summaries")) }
            }
        }
    }
}
