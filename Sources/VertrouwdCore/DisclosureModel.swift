/// The attacker's facts as one constraint system (P6, P8, issue 13): each
/// published cell lies in the interval of its published value, each
/// table's total and margins equal the sums of their cells, every alert or
/// silence bounds the sum of its cells, all counts are ≥ 0.
struct DisclosureModel {
    var system = DisclosureIntervalSystem()
    /// The variable of each cell.
    private(set) var cells: [CellID: Int] = [:]
    /// The variable of each 1-D table's total (one shared variable with
    /// linked totals).
    private(set) var totals: [String: Int] = [:]

    /// Nil when a fact is empty in itself (an alert bound with
    /// atLeast > atMost): no true data gives that.
    init?(tables: [String: PublishedTable] = [:], tables2D: [String: PublishedTable2D] = [:],
          alerts: [AlertBound] = [], policy: PrivacyPolicy, linkedTotals: Bool = false) {
        // Linked totals: every table counts the same pupils (one row per
        // pupil in each table), so all totals are one variable.
        let sharedTotal = linkedTotals ? system.add(0...Int.max) : nil
        func total(_ value: PublishedValue) -> Int {
            let range = value.interval(policy: policy) ?? 0...Int.max
            guard let shared = sharedTotal else { return system.add(range) }
            system.restrict(shared, to: range)
            return shared
        }
        for name in tables.keys.sorted() {
            let table = tables[name]!
            let parts = table.rows.map { cell(CellID(table: name, row: $0.key), $0.value, policy) }
            let sum = total(table.total)
            totals[name] = sum
            system.sum(parts, equals: sum)
        }
        for name in tables2D.keys.sorted() {
            let table = tables2D[name]!
            var grid: [[Int]] = []
            for (r, row) in table.rows.enumerated() {
                grid.append(table.columns.indices.map { c in
                    cell(CellID(table: name, row: row, column: table.columns[c]), table.cells[r][c], policy)
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
            let parts = Array(Set(alert.cells)).sorted().map { cell($0, nil, policy) }
            let low = max(alert.atLeast, 0)
            guard low <= alert.atMost else { return nil }
            system.sum(parts, equals: system.add(low...alert.atMost))
        }
    }

    private mutating func cell(_ id: CellID, _ value: PublishedValue?, _ policy: PrivacyPolicy) -> Int {
        if let index = cells[id] { return index }
        let range = value?.interval(policy: policy) ?? 0...Int.max
        let index = system.add(range)
        cells[id] = index
        return index
    }
}
