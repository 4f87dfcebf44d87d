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

    func content(week: Window, store: some StateStore, backlog: Int, id: String) throws -> SummaryContent {
        let policy = configuration.privacy
        let cells = self.cells
        let counts = cells.counts(try store.pupilBuckets(hours: week.hours))
        let alerts = try weekAlerts(week, store: store, cells: cells)
        let protected = Disclosure.protectWeek(counts, alerts: Disclosure.bounds(alerts.bounds) + alerts.silences,
                                              policy: policy, linkedTotals: true)
        let tables = cells.tables.compactMap { layout -> SummaryContent.Table? in
            guard let t = protected.tables[layout.name] else { return nil }
            return SummaryContent.Table(name: layout.name,
                                        rows: t.rows.map { .init(key: $0.key, value: $0.value.text(k: policy.minGroupSize)) },
                                        total: t.total.text(k: policy.minGroupSize))
        }
        let days = (first: DateText.Day(instant: week.start, zone: zone), last: DateText.Day(instant: week.end - 1, zone: zone))
        let health = try store.health(days: days.first.iso...days.last.iso)
        let shown = { (n: Int) in policy.publish(n).text(k: policy.minGroupSize) }
        // Which reasons are listed must not depend on a count below k (Core).
        let rejected = HealthRejections.rows(health, policy: policy)
        let failures = try store.failedDeliveries(from: week.start, to: week.end)
        var content = SummaryContent(
            id: id, week: week.label, first: days.first, last: days.last, tables: tables,
            trend: try trend(until: week, store: store, thisWeek: tables.first?.total),
            alerts: alerts.lines,
            health: .init(accepted: shown(health["accepted"] ?? 0), rejected: rejected,
                          deliveryFailures: shown(failures), spoolBacklog: shown(backlog)),
            withheldTables: cells.tables.map(\.name).filter { protected.withheldTables.contains($0) })
        content.holidayWeek = configuration.calendar.isHolidayWeek(week, in: zone)  // s6-calendar
        return content
    }

    /// The week's alerts from the alert log (`SummaryAlerts`).
    ///
    /// An entry whose group does not decode fails the summary: its alert
    /// told the reader something about cells this week's tables show, and
    /// a summary checked without it could disclose what P8 forbids. Nothing
    /// the daemon writes fails to decode.
    func weekAlerts(_ week: Window, store: some StateStore, cells: SummaryCells) throws -> SummaryAlerts {
        let log = try store.alertLog(since: week.start - 604_800).map { entry in
            AlertKey(rule: entry.rule, windowStart: entry.windowStart, group: try entry.groupKey(), band: entry.band)
        }
        return SummaryAlerts(week: week, log: log, rules: configuration.rules, cells: cells, zone: zone,
                             k: configuration.privacy.minGroupSize)
    }

    /// The published totals of earlier weeks, from their frozen summaries,
    /// then this week's.
    func trend(until week: Window, store: some StateStore, thisWeek: String?) throws -> [SummaryContent.TrendPoint] {
        var points: [SummaryContent.TrendPoint] = []
        var w = week
        for _ in 1..<max(configuration.summary.trendWeeks, 1) {
            w = w.previous(in: zone)
            guard let frozen = try store.publishedSummary(week: w.label),
                  let total = Self.frozenTotal(frozen) else { continue }
            points.insert(.init(week: w.label, total: total), at: 0)
        }
        if let thisWeek { points.append(.init(week: week.label, total: thisWeek)) }
        return points
    }

    /// The first table's total from a frozen summary envelope.
    static func frozenTotal(_ envelope: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(envelope.utf8)) as? [String: Any],
              let total = object["total"] as? String else { return nil }
        return total
    }
}
