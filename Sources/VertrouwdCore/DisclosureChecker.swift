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
        guard var model = DisclosureModel(tables: tables, tables2D: tables2D, alerts: alerts,
                                          policy: policy, linkedTotals: linkedTotals) else { return nil }
        let cells = model.cells
        let original = model.system.sums.count
        model.system.deriveNestedSums()
        guard model.system.propagate() else { return nil }
        model.system.dropDerivedSums(keeping: original)
        // Propagation handles one sum exactly but not several at once
        // (total − alert group − shown cells); enumerate when affordable.
        let exact = exactBudget > 0 ? model.system.exactRanges(budget: exactBudget) : nil
        return cells.mapValues { exact?[$0] ?? model.system.range($0) }
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

/// What the exact check found in a candidate release.
public struct DisclosureFinding: Equatable, Sendable {
    /// Cells whose feasible range lies inside 1…k-1.
    public var disclosed: [CellID]
    /// Cells the search could not clear within its budget; a release
    /// treats them as disclosed (it fails closed).
    public var undecided: [CellID]

    /// Disclosed or undecided: what a release must not add to.
    public var unsafe: Set<CellID> { Set(disclosed).union(undecided) }
}

extension DisclosureChecker {
    /// Search nodes one exact check may spend.
    public static let defaultSearchBudget = 20_000

    /// The exact check of issue 13: the cells whose feasible range, over
    /// every integer assignment that satisfies the published tables and
    /// the alert and silence bounds, lies inside 1…k-1 — a count pinned,
    /// or "someone, fewer than k" proven. Nil when the facts contradict
    /// each other (propagation proves it; never for true data).
    public static func check(
        tables: [String: PublishedTable] = [:],
        alerts: [AlertBound] = [],
        policy: PrivacyPolicy,
        linkedTotals: Bool = false,
        budget: Int = defaultSearchBudget
    ) -> DisclosureFinding? {
        guard var model = DisclosureModel(tables: tables, alerts: alerts, policy: policy,
                                          linkedTotals: linkedTotals) else { return nil }
        // Linear consequences: sound, and they let propagation see
        // "total − group" before the search has to.
        model.system.deriveNestedSums()
        let ids = model.cells.keys.sorted()
        switch model.system.disclosed(ids.map { model.cells[$0]! }, k: policy.effectiveMinGroupSize, budget: budget) {
        case .infeasible:
            return nil
        case .disclosed(let surely, let undecided):
            return DisclosureFinding(disclosed: ids.filter { surely.contains(model.cells[$0]!) },
                                     undecided: ids.filter { undecided.contains(model.cells[$0]!) })
        }
    }

    /// The published values an item (a cell, or a table's total with
    /// `row == nil`) could still take, given everything else in `tables`
    /// and the bounds: "<k" and every rounded count whose true values fit
    /// its proven range. Above every finite bound of the facts more counts
    /// only loosen what the facts say, so the list stops there. Empty when
    /// the facts contradict each other.
    static func possibleValues(table: String, row: String?, tables: [String: PublishedTable],
                               alerts: [AlertBound], policy: PrivacyPolicy, linkedTotals: Bool) -> [PublishedValue] {
        guard var model = DisclosureModel(tables: tables, alerts: alerts, policy: policy, linkedTotals: linkedTotals)
        else { return [] }
        model.system.deriveNestedSums()
        guard model.system.propagate(),
              let item = row.map({ model.cells[CellID(table: table, row: $0)] }) ?? model.totals[table]
        else { return [] }
        let k = policy.effectiveMinGroupSize, m = policy.effectiveRoundTo
        let range = model.system.range(item)
        let finite = (0..<model.system.variableCount).map { model.system.range($0) }
            .flatMap { [$0.lowerBound, $0.upperBound] }.filter { $0 != Int.max }
        let cap = min(range.upperBound, max(range.lowerBound, finite.max() ?? 0) + k + m)
        var values: [PublishedValue] = range.lowerBound < k ? [.suppressed] : []
        var r = policy.smallestPublishedCount
        while let preimage = policy.preimage(ofRounded: r), preimage.lowerBound <= cap {
            if preimage.overlaps(range) { values.append(.count(r)) }
            r += m
        }
        return values
    }
}
