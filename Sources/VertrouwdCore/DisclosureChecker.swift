/// A cell of a published table, as the checker names it: 1-D cells have
/// no column; margins and totals are not cells.
public struct CellID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var table: String
    public var row: String
    public var column: String?

    public init(table: String, row: String, column: String? = nil) {
        self.table = table
        self.row = row
        self.column = column
    }

    public static func < (a: CellID, b: CellID) -> Bool {
        (a.table, a.row, a.column ?? "") < (b.table, b.row, b.column ?? "")
    }

    public var description: String {
        column.map { "\(table)[\(row), \($0)]" } ?? "\(table)[\(row)]"
    }
}

/// What an alert of the same week — or its silence — told the recipient
/// (P8): the sum of these cells lies in `atLeast ... atMost`. An alert's
/// cells are those its pupils can be counted in (a lower bound on their
/// sum); a silent rule group's cells are those whose pupils it surely
/// counts (an upper bound on their sum).
public struct AlertBound: Hashable, Sendable {
    public var cells: [CellID]
    public var atLeast: Int
    public var atMost: Int

    public init(cells: [CellID], atLeast: Int, atMost: Int = .max) {
        self.cells = cells
        self.atLeast = atLeast
        self.atMost = atMost
    }
}

/// The attacker (P6, P8): from published tables and alert bands, derive for
/// every cell the tightest interval of true values that interval constraint
/// propagation can prove, and report the cells it gives away.
///
/// Model: each cell lies in the interval of its published value
/// (`PublishedValue.interval(policy:)`); every total and margin equals the
/// sum of its cells; every alert bound puts a lower bound on a sum of
/// cells; all counts are ≥ 0. Propagation runs to a fixpoint.
///
/// Then, when the search fits `exactBudget` nodes and every cell is
/// bounded, an exact attacker enumerates every integer assignment that
/// satisfies all constraints and replaces the intervals with the true
/// feasible ranges.
///
/// What this proves: for one table without alerts (one sum) propagation
/// alone is exact. With several sums at once (2-D margins, alert groups,
/// linked totals) propagation is only a sound relaxation — total − alert
/// group − shown cells can pin a cell it misses — so the exact search is
/// what makes a clean result a proof; past the budget it is evidence only.
/// Unbounded cells need no search (with only lower bounds on their sums,
/// propagation is exact). It does not model knowledge of the publisher's
/// own decisions (e.g. "nothing was withheld, so the small cells sum to 0
/// or ≥ k").
public enum DisclosureChecker {
    /// Per-cell intervals (Int.max = unbounded above), or nil when the
    /// published values contradict each other (never for true data).
    public static func intervals(
        tables: [String: PublishedTable] = [:],
        tables2D: [String: PublishedTable2D] = [:],
        alerts: [AlertBound] = [],
        policy: PrivacyPolicy,
        linkedTotals: Bool = false,
        exactBudget: Int = defaultExactBudget
    ) -> [CellID: ClosedRange<Int>]? {
        var system = DisclosureIntervalSystem()
        var cells: [CellID: Int] = [:]
        func cell(_ id: CellID, _ value: PublishedValue?) -> Int {
            if let index = cells[id] { return index }
            let range = value?.interval(policy: policy) ?? 0...Int.max
            let index = system.add(range)
            cells[id] = index
            return index
        }
        // Linked totals: every table counts the same signals (one category,
        // one site … per signal), so all totals are one variable.
        let sharedTotal = linkedTotals ? system.add(0...Int.max) : nil
        func total(_ value: PublishedValue) -> Int {
            let range = value.interval(policy: policy) ?? 0...Int.max
            guard let shared = sharedTotal else { return system.add(range) }
            system.restrict(shared, to: range)
            return shared
        }
        for name in tables.keys.sorted() {
            let table = tables[name]!
            let parts = table.rows.map { cell(CellID(table: name, row: $0.key), $0.value) }
            system.sum(parts, equals: total(table.total))
        }
        for name in tables2D.keys.sorted() {
            let table = tables2D[name]!
            var grid: [[Int]] = []
            for (r, row) in table.rows.enumerated() {
                grid.append(table.columns.indices.map { c in
                    cell(CellID(table: name, row: row, column: table.columns[c]), table.cells[r][c])
                })
                system.sum(grid[r], equals: system.add(table.rowTotals[r].interval(policy: policy) ?? 0...Int.max))
            }
            for c in table.columns.indices {
                let column = grid.map { $0[c] }
                system.sum(column, equals: system.add(table.columnTotals[c].interval(policy: policy) ?? 0...Int.max))
            }
            system.sum(grid.flatMap { $0 }, equals: total(table.total))
        }
        for alert in alerts {
            let parts = Array(Set(alert.cells)).sorted().map { cell($0, nil) }
            let low = max(alert.atLeast, 0)
            guard low <= alert.atMost else { return nil }
            system.sum(parts, equals: system.add(low...alert.atMost))
        }
        let original = system.sums.count
        system.deriveNestedSums()
        guard system.propagate() else { return nil }
        system.dropDerivedSums(keeping: original)
        // Propagation handles one sum exactly but not several at once
        // (total − alert group − shown cells); enumerate when affordable.
        let exact = exactBudget > 0 ? system.exactRanges(budget: exactBudget) : nil
        return cells.mapValues { exact?[$0] ?? system.range($0) }
    }

    /// Search nodes the exact attacker may spend before the checker falls
    /// back to interval propagation alone.
    public static let defaultExactBudget = 10_000

    /// Cells whose true value is pinned to one value in 1…k-1: an exact
    /// small count recovered. P6 and P8 require this list to be empty.
    /// Inconsistent input (no true table fits) reports every cell.
    public static func pinnedCells(
        tables: [String: PublishedTable] = [:],
        tables2D: [String: PublishedTable2D] = [:],
        alerts: [AlertBound] = [],
        policy: PrivacyPolicy,
        linkedTotals: Bool = false,
        exactBudget: Int = defaultExactBudget
    ) -> [CellID] {
        let k = policy.effectiveMinGroupSize
        return cells(tables: tables, tables2D: tables2D, alerts: alerts, policy: policy,
                     linkedTotals: linkedTotals, exactBudget: exactBudget) { range in
            range.lowerBound == range.upperBound && (1..<k).contains(range.lowerBound)
        }
    }

    /// Cells known to hold between 1 and k-1 but not pinned: the attacker
    /// learns "someone, fewer than k". Reported, not forbidden: P6's own
    /// rule (two hidden small cells with sum ≥ k) implies it, and it names
    /// no count, so it stays within "<k" anonymity.
    public static func presenceCells(
        tables: [String: PublishedTable] = [:],
        tables2D: [String: PublishedTable2D] = [:],
        alerts: [AlertBound] = [],
        policy: PrivacyPolicy,
        linkedTotals: Bool = false,
        exactBudget: Int = defaultExactBudget
    ) -> [CellID] {
        let k = policy.effectiveMinGroupSize
        return cells(tables: tables, tables2D: tables2D, alerts: alerts, policy: policy,
                     linkedTotals: linkedTotals, exactBudget: exactBudget) { range in
            range.lowerBound < range.upperBound && range.lowerBound >= 1 && range.upperBound < k
        }
    }

    /// The cells whose proven interval satisfies `test`, sorted; every cell
    /// when the published values contradict each other.
    private static func cells(
        tables: [String: PublishedTable], tables2D: [String: PublishedTable2D], alerts: [AlertBound],
        policy: PrivacyPolicy, linkedTotals: Bool, exactBudget: Int,
        where test: (ClosedRange<Int>) -> Bool
    ) -> [CellID] {
        guard let found = intervals(tables: tables, tables2D: tables2D, alerts: alerts,
                                    policy: policy, linkedTotals: linkedTotals, exactBudget: exactBudget)
        else { return allCells(tables: tables, tables2D: tables2D) }
        return found.filter { test($0.value) }.keys.sorted()
    }

    private static func allCells(tables: [String: PublishedTable], tables2D: [String: PublishedTable2D]) -> [CellID] {
        let flat = tables.flatMap { name, table in table.rows.map { CellID(table: name, row: $0.key) } }
        let grid = tables2D.flatMap { name, table in
            table.rows.flatMap { row in table.columns.map { CellID(table: name, row: row, column: $0) } }
        }
        return (flat + grid).sorted()
    }
}
