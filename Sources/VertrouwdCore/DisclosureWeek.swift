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

/// P8 and P11: alerts versus the weekly summary.
///
/// The attacker (DESIGN §6 P11; README, "The reader vertrouwd protects
/// against") has: the config and this algorithm at every moment; every
/// alert at its tick; the silence of every rule group in every closed
/// window; every published summary. What of that speaks about one week's
/// cells reaches `protectWeek` as bounds: the week's alerts from the alert
/// log, each placed with the rule definition stored with it
/// (`SummaryAlerts`, `LoggedAlert`); week and day rules' silences
/// (`SummaryAlerts.silences`, `daySilences`); and, as a belief that is
/// often true, the same alerts over their matching rows only. Nothing
/// released later speaks about a published week: no alert for its windows
/// (`AlertRelease`), rise rules from published values (`PublishedRise`),
/// the trend as shown. The check is exact (`DisclosureChecker.check`) and
/// fails closed.
///
/// An alert said "at least <band>"
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
    /// together with the week's alert bounds and silences (P8) disclose a
    /// cell: no cell's feasible range lies inside 1…k-1 (issue 13).
    ///
    /// Every decision is taken from facts the reader already has, never
    /// from a hidden value (simulatable auditing), so what is withheld
    /// tells nothing (findings 4 and 5 of issue 13, by construction). The
    /// week starts with every value unknown — the reader knows the rows
    /// from the config, the alerts and the silences — and reveals item by
    /// item in a fixed, public order: tables by name, each its total first,
    /// then its rows in order. For each item:
    ///
    /// 1. list every value it could still publish as, given what is already
    ///    revealed ("<k" and each rounded count its proven range allows);
    /// 2. if revealing none of them would disclose a cell that was not
    ///    already disclosed, reveal the true value;
    /// 3. else, if neither "<k" nor "k or more" would, reveal which of the
    ///    two it is (shown as "x" when k or more);
    /// 4. else reveal nothing (also shown as "x").
    ///
    /// The reader can replay every step from the published week, so a step
    /// adds only the value it reveals. The check is exact (a feasibility
    /// search, `DisclosureChecker.check`) and fails closed: a question it
    /// cannot settle within `budget` counts as a disclosure. A table of
    /// which nothing is revealed is left out. Cells that the alerts and
    /// silences alone disclose stay so: no summary can undo that.
    ///
    /// `beliefs` are other sets of facts a reader may hold instead of
    /// `alerts` — assumptions that are often true but not guaranteed, such
    /// as "each pupil has signals in one row only" (`SummaryAlerts
    /// .matchingRowBounds`). Every reveal must be safe under `alerts` and
    /// under each belief; a value a belief rules out is no risk under it.
    public static func protectWeek(_ counts: [String: [(key: String, count: Int)]], alerts: [AlertBound],
                                   beliefs: [[AlertBound]] = [],
                                   policy: PrivacyPolicy, linkedTotals: Bool = false,
                                   budget: Int = DisclosureChecker.defaultSearchBudget) -> ProtectedWeek {
        var tables = counts.mapValues { cells in
            PublishedTable(rows: cells.map { PublishedRow(key: $0.key, value: .omitted) }, total: .omitted)
        }
        let leftOut = ProtectedWeek(tables: [:], withheldTables: counts.keys.sorted())
        guard let before = DisclosureChecker.check(tables: tables, alerts: alerts, policy: policy,
                                                   linkedTotals: linkedTotals, budget: budget)
        else { return leftOut }
        // Only what the search proved counts as known; what it could not
        // settle must not be taken for granted later (fail closed).
        var models = [(facts: alerts, known: Set(before.disclosed))]
        for belief in beliefs {
            // A belief the config's structure already contradicts is one
            // no reader can hold.
            guard let held = DisclosureChecker.check(tables: tables, alerts: belief, policy: policy,
                                                     linkedTotals: linkedTotals, budget: budget) else { continue }
            models.append((belief, Set(held.disclosed)))
        }
        func with(_ value: PublishedValue, table: String, row: Int?) -> [String: PublishedTable] {
            var candidate = tables
            if let row { candidate[table]!.rows[row].value = value } else { candidate[table]!.total = value }
            return candidate
        }
        func safe(_ candidate: [String: PublishedTable]) -> Bool {
            models.allSatisfy { model in
                guard let found = DisclosureChecker.check(tables: candidate, alerts: model.facts, policy: policy,
                                                          linkedTotals: linkedTotals, budget: budget)
                else { return true }   // a value these facts rule out: no risk under them
                return found.unsafe.isSubset(of: model.known)
            }
        }
        for name in counts.keys.sorted() {
            let cells = counts[name]!
            let items: [Int?] = [nil] + cells.indices.map { $0 }
            for row in items {
                let truth = policy.publish(row.map { cells[$0].count } ?? cells.reduce(0) { $0 + $1.count })
                let possible = DisclosureChecker.possibleValues(
                    table: name, row: row.map { cells[$0].key }, tables: tables, alerts: alerts,
                    policy: policy, linkedTotals: linkedTotals)
                if possible.allSatisfy({ safe(with($0, table: name, row: row)) }) {
                    tables = with(truth, table: name, row: row)
                } else if [PublishedValue.suppressed, .withheld].allSatisfy({ safe(with($0, table: name, row: row)) }) {
                    tables = with(truth == .suppressed ? .suppressed : .withheld, table: name, row: row)
                }
            }
        }
        let withheld = tables.filter { _, table in
            table.total == .omitted && table.rows.allSatisfy { $0.value == .omitted }
        }.keys.sorted()
        for name in withheld { tables[name] = nil }
        return ProtectedWeek(tables: tables, withheldTables: withheld)
    }
}
