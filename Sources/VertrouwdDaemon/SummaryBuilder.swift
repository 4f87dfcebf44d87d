// SummaryBuilder — the weekly summary of a closed ISO week (DESIGN §8).
//
// Privacy: every number goes through the privacy core: "<k" below k,
// rounded above (P4, P5), secondary suppression and the disclosure checker
// with the week's alert bands as the attacker's extra knowledge (P6, P8);
// a value hidden only to protect another shows as "x". The published week
// is stored frozen and never revised (P7).
import Foundation
import VertrouwdCore
import VertrouwdStore
import VertrouwdSpool

struct SummaryBuilder: Sendable {
    let configuration: Configuration

    var zone: TimeZone { configuration.school.timeZone }
    var taxonomy: Taxonomy { configuration.taxonomy }

    /// The four tables, their names and row keys in a fixed order ("" is
    /// unknown). A vocabulary without groups is shown ungrouped.
    var tableLayout: [(name: String, keys: [String])] {
        let channels = taxonomy.channels.isGrouped ? ("channel_group", taxonomy.channels.groupNames) : ("channel", taxonomy.channels.values)
        let cohorts = taxonomy.cohorts.isGrouped ? ("cohort_group", taxonomy.cohorts.groupNames) : ("cohort", taxonomy.cohorts.values)
        return [
            ("category", taxonomy.categories.values),
            (channels.0, channels.1 + [""]),
            ("site", taxonomy.sites.values + [""]),
            (cohorts.0, cohorts.1 + [""]),
        ]
    }

    /// The row a bucket falls in, per table.
    func key(of b: StoredBucket, table: String) -> String {
        switch table {
        case "category": b.category
        case "site": b.site
        case "channel": b.channel
        case "channel_group": b.channel.isEmpty ? "" : (taxonomy.channels.group(of: b.channel) ?? b.channel)
        case "cohort": b.cohort
        case "cohort_group": b.cohort.isEmpty ? "" : (taxonomy.cohorts.group(of: b.cohort) ?? b.cohort)
        default: ""
        }
    }

    func content(week: Window, store: some StateStore, backlog: Int, id: String) throws -> SummaryContent {
        let policy = configuration.privacy
        let buckets = try store.buckets(hours: week.hours)
        var counts: [String: [(key: String, count: Int)]] = [:]
        for (name, keys) in tableLayout {
            var byKey = Dictionary(uniqueKeysWithValues: keys.map { ($0, 0) })
            for b in buckets { byKey[key(of: b, table: name), default: 0] += b.count }
            counts[name] = keys.map { ($0, byKey[$0] ?? 0) }
        }
        let alerts = try weekAlerts(week, store: store)
        let protected = Disclosure.protectWeek(counts, alerts: Disclosure.bounds(alerts.bounds), policy: policy, linkedTotals: true)
        let tables = tableLayout.compactMap { layout -> SummaryContent.Table? in
            guard let t = protected.tables[layout.name] else { return nil }
            return SummaryContent.Table(name: layout.name,
                                        rows: t.rows.map { .init(key: $0.key, value: $0.value.text(k: policy.minGroupSize)) },
                                        total: t.total.text(k: policy.minGroupSize))
        }
        let days = (first: DateText.Day(instant: week.start, zone: zone), last: DateText.Day(instant: week.end - 1, zone: zone))
        let health = try store.health(days: days.first.iso...days.last.iso)
        let shown = { (n: Int) in policy.publish(n).text(k: policy.minGroupSize) }
        let rejected = health.filter { $0.key != "accepted" && $0.key != "duplicate" }.sorted { $0.key < $1.key }
            .map { SummaryContent.Row(key: $0.key, value: shown($0.value)) }
        let failures = try store.failedDeliveries(from: week.start, to: week.end)
        return SummaryContent(
            id: id, week: week.label, first: days.first, last: days.last, tables: tables,
            trend: try trend(until: week, store: store, thisWeek: tables.first?.total),
            alerts: alerts.lines,
            health: .init(accepted: shown(health["accepted"] ?? 0), rejected: rejected,
                          deliveryFailures: shown(failures), spoolBacklog: shown(backlog)),
            withheldTables: tableLayout.map(\.name).filter { protected.withheldTables.contains($0) })
    }

    /// The week's alerts: the lines the summary lists (highest band per
    /// rule, window and group) and the bounds they give an attacker.
    func weekAlerts(_ week: Window, store: some StateStore) throws -> (lines: [SummaryContent.AlertLine], bounds: [(cells: [CellID], window: String, atLeast: Int)]) {
        var highest: [String: (key: AlertLogKey, band: Int)] = [:]
        for key in try store.alertLog(since: week.start - 604_800) {
            // A day window inside the week, or the week itself.
            guard key.windowStart >= week.start, key.windowStart < week.end else { continue }
            let id = "\(key.rule)|\(key.windowStart)|\(key.group)"
            if (highest[id]?.band ?? 0) < key.band { highest[id] = (key, key.band) }
        }
        var lines: [SummaryContent.AlertLine] = []
        var bounds: [(cells: [CellID], window: String, atLeast: Int)] = []
        for (_, entry) in highest.sorted(by: { $0.key < $1.key }) {
            guard let rule = configuration.rules.first(where: { $0.name == entry.key.rule }) else { continue }
            let window = Window.containing(entry.key.windowStart, kind: rule.window, in: zone)
            lines.append(.init(rule: rule.name, window: window.label, atLeast: entry.band))
            let group = entry.key.groupDictionary
            for (name, keys) in tableLayout {
                let cells = keys.filter { row in matches(row: row, table: name, rule: rule, group: group) }
                bounds.append((cells.map { CellID(table: name, row: $0) }, window.label + "|" + entry.key.group, entry.band))
            }
        }
        lines.sort { ($0.window, $0.rule) < ($1.window, $1.rule) }
        return (lines, bounds)
    }

    /// Whether a table row can hold signals of an alert's group.
    func matches(row: String, table: String, rule: Rule, group: [String: String]) -> Bool {
        func value(_ d: String) -> String? { group[d].map { $0 == AlertGroup.unknown ? "" : $0 } }
        switch table {
        case "category":
            return rule.matches(category: row) && (value("category").map { $0 == row } ?? true)
        case "site":
            return value("site").map { $0 == row } ?? true
        case "channel", "channel_group":
            if let c = value("channel") { return table == "channel" ? c == row : (c.isEmpty ? "" : taxonomy.channels.group(of: c) ?? c) == row }
            if let g = value("channel_group") { return table == "channel_group" ? g == row : true }
            return true
        case "cohort", "cohort_group":
            if let c = value("cohort") { return table == "cohort" ? c == row : (c.isEmpty ? "" : taxonomy.cohorts.group(of: c) ?? c) == row }
            if let g = value("cohort_group") { return table == "cohort_group" ? g == row : true }
            return true
        default:
            return true
        }
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
