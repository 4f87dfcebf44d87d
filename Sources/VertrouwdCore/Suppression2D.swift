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
    /// Publishes a 2-D table (P4–P6), coarsening until the checker passes.
    ///
    /// Think of the table with its margins as an (R+1) × (C+1) table whose
    /// last row holds the column totals, last column the row totals and
    /// corner the grand total; each of its lines says "the margin entry is
    /// the sum of the others". The rules, on that extended table:
    ///
    /// 1. Primary: cells < k `.suppressed`, others rounded; every margin
    ///    and the grand total rounded from its unrounded sum (or "<k").
    /// 2. Lines (the rectangle method, found greedily, not at least cost):
    ///    a line needs one more hidden entry if its suppressed entries'
    ///    true sum is in 1…k-1 and nothing in it is withheld, or if a
    ///    withheld entry is its only hidden one (the line would pin it,
    ///    and through it the small cells of its other line). Then withhold
    ///    its smallest shown cell, else its smallest shown margin entry.
    ///    Repeat until stable. Margins count as entries: a hidden row total
    ///    next to a shown grand total would otherwise be recomputed.
    /// 3. Judge: while `DisclosureChecker` pins a cell (exactly when the
    ///    search fits its budget, by interval propagation otherwise),
    ///    withhold the
    ///    smallest shown cell of its row, else of its column, else that
    ///    row's margin, else that column's margin, else the grand total,
    ///    else the smallest shown cell anywhere, else any shown margin;
    ///    then apply the line rules again.
    ///
    /// 4. Fail closed: when every entry is hidden and the checker still pins
    ///    a cell, the marks themselves give it away ("x" says ≥ k: with
    ///    k = 3, cells [[1, 1], [2, 2]] publish as four "<3", a row total
    ///    "<3" and every other margin "x", and those pin all four cells).
    ///    Then nothing can be shown: nil.
    ///
    /// Interval propagation alone is weaker than an exact attacker in 2-D,
    /// hence the exact search; the tests hold the result against a second,
    /// independent enumeration on small tables. `counts` must be rows.count × columns.count.
    public static func publish2D(rows: [String], columns: [String], counts: [[Int]],
                                 policy: PrivacyPolicy) -> PublishedTable2D? {
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
        let truth = { (entry: Entry) -> Int in
            switch entry {
            case .cell(let r, let c): counts[r][c]
            case .rowTotal(let r): rowSums[r]
            case .columnTotal(let c): columnSums[c]
            case .total: rowSums.reduce(0, +)
            }
        }
        let allRows = Array(rows.indices), allColumns = Array(columns.indices)
        var lines: [[Entry]] = allRows.map { r in allColumns.map { .cell(r, $0) } + [.rowTotal(r)] }
        lines += allColumns.map { c in allRows.map { .cell($0, c) } + [.columnTotal(c)] }
        lines.append(allColumns.map { .columnTotal($0) } + [.total])
        lines.append(allRows.map { .rowTotal($0) } + [.total])
        func stabilize() {
            var stable = false
            while !stable {
                stable = true
                for line in lines where needsSecondary(line, table, truth, k) {
                    if withholdSmallest(line, &table, truth) { stable = false }
                }
            }
        }
        stabilize()
        let rowIndex = Dictionary(rows.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let columnIndex = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let everywhere = allRows.flatMap { r in allColumns.map { Entry.cell(r, $0) } }
        let margins = allRows.map { Entry.rowTotal($0) } + allColumns.map { Entry.columnTotal($0) }
        // The checker runs the exact attacker where affordable.
        func pinned() -> CellID? {
            DisclosureChecker.pinnedCells(tables2D: ["t": table], policy: policy).first
        }
        while let pinned = pinned(),
              let r = rowIndex[pinned.row], let c = pinned.column.flatMap({ columnIndex[$0] }) {
            let order: [[Entry]] = [
                allColumns.map { .cell(r, $0) }, allRows.map { .cell($0, c) },
                [.rowTotal(r)], [.columnTotal(c)], [.total],
                // The pin comes from further away: hide more of the rest.
                everywhere, margins,
            ]
            guard order.contains(where: { withholdSmallest($0, &table, truth) }) else {
                // Everything is hidden and a cell is still pinned (rule 4).
                return nil
            }
            // A newly withheld entry may stand alone in its other lines.
            stabilize()
        }
        return table
    }

    /// An entry of the table extended with its margins.
    private enum Entry {
        case cell(Int, Int), rowTotal(Int), columnTotal(Int), total

        func value(in table: PublishedTable2D) -> PublishedValue {
            switch self {
            case .cell(let r, let c): table.cells[r][c]
            case .rowTotal(let r): table.rowTotals[r]
            case .columnTotal(let c): table.columnTotals[c]
            case .total: table.total
            }
        }

        func withhold(in table: inout PublishedTable2D) {
            switch self {
            case .cell(let r, let c): table.cells[r][c] = .withheld
            case .rowTotal(let r): table.rowTotals[r] = .withheld
            case .columnTotal(let c): table.columnTotals[c] = .withheld
            case .total: table.total = .withheld
            }
        }

        var isCell: Bool { if case .cell = self { true } else { false } }
    }

    /// Whether a line of the extended table needs one more hidden entry.
    private static func needsSecondary(_ line: [Entry], _ table: PublishedTable2D,
                                       _ truth: (Entry) -> Int, _ k: Int) -> Bool {
        let hidden = line.filter { $0.value(in: table).isHidden }
        if hidden.count == 1, hidden[0].value(in: table) == .withheld { return true }
        if hidden.contains(where: { $0.value(in: table) == .withheld }) { return false }
        let small = hidden.reduce(0) { $0 + truth($1) }
        return (1..<k).contains(small)
    }

    /// Withholds the shown cell of the line with the smallest true count,
    /// or if no cell is shown, its smallest shown margin entry. Only shown
    /// entries (true count ≥ k) are withheld, so "x" never hides a small one.
    private static func withholdSmallest(_ line: [Entry], _ table: inout PublishedTable2D,
                                         _ truth: (Entry) -> Int) -> Bool {
        let shown = line.filter { !$0.value(in: table).isHidden }
        let cells = shown.filter(\.isCell)
        guard let pick = (cells.isEmpty ? shown : cells).min(by: { truth($0) < truth($1) }) else { return false }
        pick.withhold(in: &table)
        return true
    }
}
