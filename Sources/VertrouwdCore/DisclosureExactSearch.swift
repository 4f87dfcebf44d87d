extension DisclosureChecker {
    /// The exact attacker for one 2-D table: enumerates every integer table
    /// consistent with the published values (cells, margins, total) and
    /// returns each cell's feasible range — or nil when the search would
    /// visit more than `budget` partial tables.
    ///
    /// Interval propagation misses what follows from several sums at once
    /// (e.g. total − row − column isolates one cell); this does not. It
    /// starts from the propagated intervals (sound, so nothing is lost) and
    /// caps an unbounded cell at the largest finite bound of the table: a
    /// cap can only drop feasible tables, so it errs toward reporting a pin.
    public static func exactIntervals(_ table: PublishedTable2D, policy: PrivacyPolicy,
                                      budget: Int = 50_000) -> [CellID: ClosedRange<Int>]? {
        let name = "t"
        guard let bounds = intervals(tables2D: [name: table], policy: policy) else { return nil }
        let width = table.columns.count, height = table.rows.count
        guard width > 0, height > 0 else { return [:] }
        let ids = table.rows.flatMap { row in table.columns.map { CellID(table: name, row: row, column: $0) } }
        let ranges = ids.map { bounds[$0]! }
        let rowRanges = table.rowTotals.map { $0.interval(policy: policy) ?? 0...Int.max }
        let columnRanges = table.columnTotals.map { $0.interval(policy: policy) ?? 0...Int.max }
        let totalRange = table.total.interval(policy: policy) ?? 0...Int.max
        let finite = (ranges + rowRanges + columnRanges + [totalRange]).map(\.upperBound).filter { $0 < Int.max }
        let cap = finite.max() ?? 0
        let domains = ranges.map { $0.lowerBound...min($0.upperBound, max(cap, $0.lowerBound)) }

        var low = ranges.map { _ in Int.max }, high = ranges.map { _ in Int.min }
        var values = Array(repeating: 0, count: ids.count)
        var columnSums = Array(repeating: 0, count: width)
        var visited = 0
        var exhausted = false
        func search(_ i: Int, _ rowSum: Int, _ total: Int) {
            visited += 1
            if visited > budget { exhausted = true }
            if exhausted { return }
            if i > 0 && i % width == 0 && !rowRanges[i / width - 1].contains(rowSum) { return }
            if i == ids.count {
                guard totalRange.contains(total),
                      columnSums.indices.allSatisfy({ columnRanges[$0].contains(columnSums[$0]) })
                else { return }
                for j in values.indices {
                    low[j] = min(low[j], values[j])
                    high[j] = max(high[j], values[j])
                }
                return
            }
            let c = i % width
            let base = i % width == 0 ? 0 : rowSum
            for v in domains[i] {
                // Sums only grow along a row, a column and the total.
                if base + v > rowRanges[i / width].upperBound || columnSums[c] + v > columnRanges[c].upperBound
                    || total + v > totalRange.upperBound { break }
                // The last cell of a column must bring it into range.
                if i / width == height - 1 && columnSums[c] + v < columnRanges[c].lowerBound { continue }
                values[i] = v
                columnSums[c] += v
                search(i + 1, base + v, total + v)
                columnSums[c] -= v
                if exhausted { return }
            }
        }
        search(0, 0, 0)
        if exhausted { return nil }
        guard low.allSatisfy({ $0 != Int.max }) else { return nil }   // inconsistent
        var result: [CellID: ClosedRange<Int>] = [:]
        for (j, id) in ids.enumerated() {
            // Above the cap the propagated bound stands.
            result[id] = low[j]...(high[j] >= domains[j].upperBound ? ranges[j].upperBound : high[j])
        }
        return result
    }

    /// Cells of a 2-D table that the exact attacker pins to 1…k-1, or nil
    /// when the search is over budget (use `pinnedCells` then).
    public static func exactPinnedCells(_ table: PublishedTable2D, policy: PrivacyPolicy,
                                        budget: Int = 50_000) -> [CellID]? {
        let k = policy.effectiveMinGroupSize
        return exactIntervals(table, policy: policy, budget: budget).map { found in
            found.filter { $0.value.lowerBound == $0.value.upperBound && (1..<k).contains($0.value.lowerBound) }
                .keys.sorted()
        }
    }
}
