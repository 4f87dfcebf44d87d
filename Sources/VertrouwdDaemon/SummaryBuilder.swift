// SummaryBuilder — the weekly summary of a closed ISO week (DESIGN §8).
//
// Privacy: every number goes through the privacy core: "<k" below k,
// rounded above (P4, P5), secondary suppression and the disclosure checker
// with the week's alert bands as the attacker's extra knowledge (P6, P8);
// a value hidden only to protect another shows as "x". The published week
// is stored frozen and never revised (P7). Which row a bucket counts in and
// which rows an alert covers is Core's (`SummaryCells`, `SummaryAlerts`);
// this file reads the store and assembles the content.
import Foundation
import VertrouwdCore
import VertrouwdStore

struct SummaryBuilder: Sendable {
    let configuration: Configuration

    var zone: TimeZone { configuration.school.timeZone }
    /// The tables and their row mapping (Core).
    var cells: SummaryCells { SummaryCells(taxonomy: configuration.taxonomy) }

    func content(week: Window, store: some StateStore, id: String) throws -> SummaryContent {
        let policy = configuration.privacy
        let cells = self.cells
        let counts = cells.counts(try store.pupilBuckets(hours: week.hours))
        let alerts = try weekAlerts(week, store: store, cells: cells)
        let protected: ProtectedWeek
        if let alternatives = alerts.silenceAlternatives {
            // s7-ledger: silences that are no single interval (a rule changed
            // under its name in the week) are checked branch by branch.
            let beliefs = [Disclosure.bounds(alerts.matchingRowBounds) + alerts.silences] + alternatives.flatMap { silences in
                [Disclosure.bounds(alerts.bounds) + silences, Disclosure.bounds(alerts.matchingRowBounds) + silences]
            }
            protected = Disclosure.protectWeek(counts, alerts: Disclosure.bounds(alerts.bounds) + alerts.silences,
                                               beliefs: beliefs, policy: policy, linkedTotals: true)
        } else {
            // Too many branches to check: fail closed.
            protected = ProtectedWeek(tables: [:], withheldTables: counts.keys.sorted())
        }
        let tables = cells.tables.compactMap { layout -> SummaryContent.Table? in
            guard let t = protected.tables[layout.name] else { return nil }
            return SummaryContent.Table(name: layout.name,
                                        rows: t.rows.map { .init(key: $0.key, value: $0.value.text(k: policy.minGroupSize)) },
                                        total: t.total.text(k: policy.minGroupSize))
        }
        let days = (first: DateText.Day(instant: week.start, zone: zone), last: DateText.Day(instant: week.end - 1, zone: zone))
        var content = SummaryContent(
            id: id, week: week.label, first: days.first, last: days.last, tables: tables,
            trend: try trend(until: week, store: store, thisWeek: tables),
            alerts: try alertLines(week, store: store, checked: alerts.lines),
            withheldTables: cells.tables.map(\.name).filter { protected.withheldTables.contains($0) })
        content.holidayWeek = configuration.calendar.isHolidayWeek(week, in: zone)  // s6-calendar
        return content
    }

    /// The week's alerts from the alert ledger (`SummaryAlerts`), each
    /// placed with the rule that decided it (issue 13, finding 7).
    func weekAlerts(_ week: Window, store: some StateStore, cells: SummaryCells) throws -> SummaryAlerts {
        SummaryAlerts(week: week, ledger: try ledger(week, store: store), rules: configuration.rules, cells: cells, zone: zone,
                      k: configuration.privacy.minGroupSize)
    }

    /// The alert ledger of the windows that may start in `week`.
    ///
    /// An entry whose group or stored definition does not decode fails the
    /// summary: its alert told the reader something about cells this
    /// week's tables show, and a summary checked without it could disclose
    /// what P8 forbids. Nothing the daemon writes fails to decode (a
    /// definition of a newer version would: the store's schema check stops
    /// this version first).
    func ledger(_ week: Window, store: some StateStore) throws -> [LoggedAlert] {
        try store.alertLedger(since: week.start - 604_800).map { entry in
            let key = AlertKey(rule: entry.key.rule, windowStart: entry.key.windowStart, group: try entry.key.groupKey(),
                               band: entry.key.band)
            return LoggedAlert(key: key, rule: try entry.definition.map { try RuleDefinition.decode($0, name: entry.key.rule) })
        }
    }

    // MARK: Rendering inputs (issue 15 §3, s6-summary)

    /// The week's alert lines with what and where (`AlertLine.lines`):
    /// the same alerts, bands and order as `checked`, the lines the
    /// disclosure check saw; should they ever differ, `checked` stands.
    func alertLines(_ week: Window, store: some StateStore, checked: [SummaryContent.AlertLine]) throws -> [SummaryContent.AlertLine] {
        let lines = SummaryContent.AlertLine.lines(week: week, ledger: try ledger(week, store: store), rules: configuration.rules,
                                                   taxonomy: configuration.taxonomy, zone: zone)
        let same = lines.map { [$0.rule, $0.window, String($0.atLeast)] } == checked.map { [$0.rule, $0.window, String($0.atLeast)] }
        return same ? lines : checked
    }

    /// The trend: earlier weeks as their frozen summaries showed them
    /// (total and category table), a week without a published summary as a
    /// gap, then this week. Weeks before the first published one are left
    /// out. Nothing of an earlier week is recomputed (CONTRACT): a number
    /// shown for it is exactly the one published then.
    func trend(until week: Window, store: some StateStore, thisWeek tables: [SummaryContent.Table]) throws -> [SummaryContent.TrendPoint] {
        var points: [SummaryContent.TrendPoint] = []
        var w = week
        for _ in 1..<max(configuration.summary.trendWeeks, 1) {
            w = w.previous(in: zone)
            let frozen = try store.publishedSummary(week: w.label)
            points.insert(.init(week: w.label, total: frozen.flatMap(FrozenSummary.total),
                                categories: frozen.flatMap(Self.frozenCategories)), at: 0)
        }
        // Weeks before the first summary are no gaps: there was nothing yet.
        while let first = points.first, first.total == nil, first.categories == nil { points.removeFirst() }
        if let total = tables.first?.total {
            let categories = tables.first { $0.name == "category" }.map { t in
                Dictionary(t.rows.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            }
            points.append(.init(week: week.label, total: total, categories: categories))
        }
        return points
    }

    /// The category table (category → shown value) as a frozen summary
    /// showed it; nil when the envelope has none or the table was left out
    /// that week.
    static func frozenCategories(_ envelope: String) -> [String: String]? {
        FrozenSummary.tables(envelope)?["category"].map { t in
            Dictionary(t.rows.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
