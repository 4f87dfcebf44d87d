/// One row of a published 1-D table.
public struct PublishedRow: Hashable, Sendable {
    public var key: String
    public var value: PublishedValue

    public init(key: String, value: PublishedValue) {
        self.key = key
        self.value = value
    }
}

/// A 1-D table as the summary publishes it (DESIGN §7): one value per key
/// and the total.
public struct PublishedTable: Hashable, Sendable {
    public var rows: [PublishedRow]
    public var total: PublishedValue

    public init(rows: [PublishedRow], total: PublishedValue) {
        self.rows = rows
        self.total = total
    }

    /// The value of a key, if the table has that row.
    public subscript(key: String) -> PublishedValue? {
        rows.first { $0.key == key }?.value
    }
}

/// Primary and secondary suppression of summary tables (P4–P6).
public enum Suppression {
    /// Publishes a 1-D table. The rules, in order:
    ///
    /// 1. Primary (P4): every cell < k — zero included — is `.suppressed`
    ///    ("<k"); every other cell is rounded (P5, `PrivacyPolicy.rounded`).
    /// 2. Total (P5): rounded from the unrounded sum, `.suppressed` if < k.
    /// 3. Secondary (P6): if the suppressed cells' true sum is in 1…k-1 —
    ///    one small non-zero cell alone, or several that add up to < k — the
    ///    smallest shown cell (fewest true signals; ties by key) is
    ///    `.withheld`. A withheld cell holds ≥ k, so afterwards the hidden
    ///    cells are at least two and their true sum is ≥ k. A sum of 0 is
    ///    let through: "total − shown" can then only reveal that those
    ///    groups had no signals, which identifies no one. If no shown cell
    ///    is left, all cells are small and the total is < k, so it is
    ///    already suppressed.
    /// 4. Judge: while `DisclosureChecker` still pins a cell to a value in
    ///    1…k-1 (rounding makes "total − shown" an interval, which can
    ///    still close on one value), withhold the next smallest shown
    ///    cell, and when none is left, withhold the total.
    ///
    /// Rows keep their order. Each step only hides more, so it ends.
    public static func publish(_ cells: [(key: String, count: Int)], policy: PrivacyPolicy) -> PublishedTable {
        let k = policy.effectiveMinGroupSize
        var table = PublishedTable(
            rows: cells.map { PublishedRow(key: $0.key, value: policy.publish($0.count)) },
            total: policy.publish(cells.reduce(0) { $0 + $1.count })
        )
        let smallSum = cells.filter { $0.count < k }.reduce(0) { $0 + $1.count }
        if (1..<k).contains(smallSum) {
            _ = withholdSmallestShown(&table, counts: cells.map(\.count))
        }
        let name = "t"
        while !DisclosureChecker.pinnedCells(tables: [name: table], policy: policy).isEmpty {
            if withholdSmallestShown(&table, counts: cells.map(\.count)) { continue }
            guard case .count = table.total else {
                // Everything is hidden; the checker cannot pin anything
                // then (each small cell keeps 0…k-1), so this is unreachable.
                assertionFailure("fully hidden table still discloses")
                break
            }
            table.total = .withheld
        }
        return table
    }

    /// Withholds the shown cell with the smallest true count (ties: first
    /// key in row order). False when no cell is shown.
    static func withholdSmallestShown(_ table: inout PublishedTable, counts: [Int]) -> Bool {
        let shown = table.rows.indices.filter { !table.rows[$0].value.isHidden }
        guard let pick = shown.min(by: { (counts[$0], table.rows[$0].key) < (counts[$1], table.rows[$1].key) })
        else { return false }
        table.rows[pick].value = .withheld
        return true
    }
}
