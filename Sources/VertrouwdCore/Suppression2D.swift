/// A 2-D table (rows × columns) with its margins, as published.
public struct PublishedTable2D: Hashable, Sendable {
    public var rows: [String]
    public var columns: [String]
    /// `cells[r][c]` for row r, column c.
    public var cells: [[PublishedValue]]
    /// Row margins, rounded from the unrounded row sums.
    public var rowTotals: [PublishedValue]
    /// Column margins, rounded from the unrounded column sums.
    public var columnTotals: [PublishedValue]
    public var total: PublishedValue

    public init(rows: [String], columns: [String], cells: [[PublishedValue]],
                rowTotals: [PublishedValue], columnTotals: [PublishedValue], total: PublishedValue) {
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        self.total = total
    }
}

extension Suppression {
    /// Publishes a 2-D table (P4–P6), coarsening until the checker passes:
    ///
    /// 1. Primary: cells < k `.suppressed`, others rounded; every margin
    ///    and the grand total rounded from its unrounded sum (or "<k").
    /// 2. Lines: for every row and column whose margin is shown, if its
    ///    suppressed cells' true sum is in 1…k-1 and nothing in it is
    ///    withheld yet, or if a withheld cell is alone in it, withhold its
    ///    smallest shown cell (so each such line has 0 or ≥ 2 hidden cells,
    ///    and a true hidden sum of 0 or ≥ k); repeat until stable, since a
    ///    withheld cell changes its other line too. This is the rectangle
    ///    method, found greedily rather than at least cost.
    /// 3. Judge: while `DisclosureChecker` pins a cell, withhold the
    ///    smallest shown cell of its row, else of its column, else that
    ///    row's margin, else that column's margin, else the grand total,
    ///    else the smallest shown cell anywhere, else any shown margin.
    ///
    /// `counts` must be rows.count × columns.count.
    public static func publish2D(rows: [String], columns: [String], counts: [[Int]],
                                 policy: PrivacyPolicy) -> PublishedTable2D {
        precondition(counts.count == rows.count && counts.allSatisfy { $0.count == columns.count },
                     "counts must be rows × columns")
        let k = policy.effectiveMinGroupSize
        let rowSums = counts.map { $0.reduce(0, +) }
        let columnSums = columns.indices.map { c in counts.reduce(0) { $0 + $1[c] } }
        var table = PublishedTable2D(
            rows: rows, columns: columns,
            cells: counts.map { $0.map(policy.publish) },
            rowTotals: rowSums.map(policy.publish),
            columnTotals: columnSums.map(policy.publish),
            total: policy.publish(rowSums.reduce(0, +))
        )
        let allRows = Array(rows.indices), allColumns = Array(columns.indices)
        var stable = false
        while !stable {
            stable = true
            for r in allRows where !table.rowTotals[r].isHidden {
                if needsSecondary(allColumns.map { (r, $0) }, table, counts, k),
                   withholdSmallest(allColumns.map { (r, $0) }, &table, counts) { stable = false }
            }
            for c in allColumns where !table.columnTotals[c].isHidden {
                if needsSecondary(allRows.map { ($0, c) }, table, counts, k),
                   withholdSmallest(allRows.map { ($0, c) }, &table, counts) { stable = false }
            }
        }
        let rowIndex = Dictionary(rows.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let columnIndex = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        while let pinned = DisclosureChecker.pinnedCells(tables2D: ["t": table], policy: policy).first,
              let r = rowIndex[pinned.row], let c = pinned.column.flatMap({ columnIndex[$0] }) {
            if withholdSmallest(allColumns.map { (r, $0) }, &table, counts) { continue }
            if withholdSmallest(allRows.map { ($0, c) }, &table, counts) { continue }
            if case .count = table.rowTotals[r] { table.rowTotals[r] = .withheld; continue }
            if case .count = table.columnTotals[c] { table.columnTotals[c] = .withheld; continue }
            if case .count = table.total { table.total = .withheld; continue }
            // The pin comes from further away (say a withheld margin "≥ k"
            // over small cells, closed by another row): hide more of the
            // rest, cells first, then margins.
            let everywhere = allRows.flatMap { r in allColumns.map { (r, $0) } }
            if withholdSmallest(everywhere, &table, counts) { continue }
            if let r = allRows.first(where: { !table.rowTotals[$0].isHidden }) { table.rowTotals[r] = .withheld; continue }
            if let c = allColumns.first(where: { !table.columnTotals[$0].isHidden }) { table.columnTotals[c] = .withheld; continue }
            // Unreachable in the property tests; a caller that needs a
            // guarantee checks the result and leaves the table out.
            break
        }
        return table
    }

    /// A line (with a shown margin) that needs one more hidden cell:
    /// - its small cells add up to 1…k-1 with no withheld cell to cover
    ///   them: "margin − shown" would bound a small sum;
    /// - or a withheld cell is its only hidden cell: "margin − shown" pins
    ///   it, and through it the small cells of its other line. This is what
    ///   closes the rectangle of four hidden cells.
    private static func needsSecondary(_ line: [(Int, Int)], _ table: PublishedTable2D,
                                       _ counts: [[Int]], _ k: Int) -> Bool {
        let hidden = line.filter { table.cells[$0.0][$0.1].isHidden }
        if hidden.count == 1, table.cells[hidden[0].0][hidden[0].1] == .withheld { return true }
        if hidden.contains(where: { table.cells[$0.0][$0.1] == .withheld }) { return false }
        let small = line.filter { table.cells[$0.0][$0.1] == .suppressed }.reduce(0) { $0 + counts[$1.0][$1.1] }
        return (1..<k).contains(small)
    }

    /// Withholds the shown cell of the line with the smallest true count.
    private static func withholdSmallest(_ line: [(Int, Int)], _ table: inout PublishedTable2D,
                                         _ counts: [[Int]]) -> Bool {
        let shown = line.filter { !table.cells[$0.0][$0.1].isHidden }
        guard let (r, c) = shown.min(by: { counts[$0.0][$0.1] < counts[$1.0][$1.1] }) else { return false }
        table.cells[r][c] = .withheld
        return true
    }
}
