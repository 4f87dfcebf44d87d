/// A week's summary tables after the P8 check against that week's alerts.
public struct ProtectedWeek: Hashable, Sendable {
    /// The tables to publish, by name.
    public var tables: [String: PublishedTable]
    /// Tables left out entirely, sorted: no hiding within them kept the
    /// alerts from pinning a cell. The summary says so instead of showing them.
    public var withheldTables: [String]

    public init(tables: [String: PublishedTable], withheldTables: [String]) {
        self.tables = tables
        self.withheldTables = withheldTables
    }
}

/// P8: alerts versus the weekly summary. An alert said "at least <band>"
/// for a group during the week; the week's table says "<k" or a rounded
/// count for its cells. Together they must not pin a cell to 1…k-1 — for
/// example instagram "6" (roundTo 1) plus an alert "social: at least 10"
/// would pin snapchat "<5" to exactly 4.
public enum Disclosure {
    /// The cells that the week's published tables and alert bounds pin to
    /// a value in 1…k-1 (empty is the P8 requirement).
    public static func disclosedCells(tables: [String: PublishedTable], alerts: [AlertBound],
                                      policy: PrivacyPolicy, linkedTotals: Bool = false) -> [CellID] {
        DisclosureChecker.pinnedCells(tables: tables, alerts: alerts, policy: policy, linkedTotals: linkedTotals)
    }

    /// Alert bounds for a week from its alerts' bands: the highest band
    /// any window of the week gave a set of cells. Alerts count distinct
    /// pupils, and one pupil may be in the alerts of several days, so bands
    /// of different windows do not add up. Keys are (group cells, window).
    public static func bounds(_ alerts: [(cells: [CellID], window: String, atLeast: Int)]) -> [AlertBound] {
        var highest: [[CellID]: Int] = [:]
        for alert in alerts {
            let group = Array(Set(alert.cells)).sorted()
            highest[group] = max(highest[group] ?? 0, alert.atLeast)
        }
        return highest.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { group in
            AlertBound(cells: group, atLeast: highest[group]!)
        }
    }

    /// Publishes a week's 1-D tables so that neither they (P6) nor they
    /// together with the week's alert bounds and silences (P8) pin a cell.
    /// The rule the summary follows when the checker finds a disclosed
    /// cell:
    ///
    /// 1. withhold the smallest shown cell of that cell's table;
    /// 2. when none is shown, withhold that table's total;
    /// 3. when everything in it is hidden and the cell is still pinned,
    ///    leave the table out;
    /// 4. when a left-out table's cell is still pinned, the other tables
    ///    give it away (their totals are its total): withhold, table by
    ///    table, the smallest shown cell or else the total of the first
    ///    table that still shows anything.
    ///
    /// While the rule runs, a left-out table still counts in the check as a
    /// table whose every value is unknown (`.omitted`): the reader knows its rows from the config and that
    /// they add up to the total, so leaving it out hides its numbers, not
    /// its structure (finding 4 of issue 13, in part). Hiding only grows,
    /// so it ends; when nothing is left to hide and a cell is still pinned,
    /// the alerts and silences alone pin it, which no summary can undo.
    public static func protectWeek(_ counts: [String: [(key: String, count: Int)]], alerts: [AlertBound],
                                   policy: PrivacyPolicy, linkedTotals: Bool = false) -> ProtectedWeek {
        var tables = counts.mapValues { Suppression.publish($0, policy: policy) }
        var withheld: [String] = []
        func hideMore(in name: String) -> Bool {
            guard var table = tables[name], let cells = counts[name] else { return false }
            if Suppression.withholdSmallestShown(&table, counts: cells.map(\.count)) {
                tables[name] = table
                return true
            }
            if case .count = table.total {
                table.total = .withheld
                tables[name] = table
                return true
            }
            return false
        }
        while let cell = disclosedCells(tables: tables, alerts: alerts, policy: policy,
                                        linkedTotals: linkedTotals).first {
            guard tables[cell.table] != nil else { break } // the alerts alone pin it
            if hideMore(in: cell.table) { continue }
            if !withheld.contains(cell.table) {
                // Left out: not even "<k" is shown any more.
                withheld.append(cell.table)
                if var table = tables[cell.table] {
                    table.rows = table.rows.map { PublishedRow(key: $0.key, value: .omitted) }
                    table.total = .omitted
                    tables[cell.table] = table
                }
                continue
            }
            guard tables.keys.sorted().contains(where: { hideMore(in: $0) }) else { break }
        }
        // Left-out tables counted in the check; they are not published.
        for name in withheld { tables[name] = nil }
        return ProtectedWeek(tables: tables, withheldTables: withheld.sorted())
    }
}
