extension DisclosureIntervalSystem {
    /// Exact integer ranges of the leaf variables (those that are parts of
    /// sums, never totals) by enumerating every assignment within the
    /// propagated bounds that satisfies every sum — or nil when over
    /// `budget` nodes, when some leaf is unbounded above, or when no
    /// assignment fits.
    ///
    /// Call after `propagate()`: its bounds are sound, so starting from
    /// them loses nothing and prunes a lot. An unbounded leaf is left to
    /// propagation: then every sum holding it is unbounded above too, and
    /// with only lower bounds on a sum, setting the other parts to their
    /// maxima is best for all sums at once — propagation is exact there.
    func exactRanges(budget: Int) -> [Int: ClosedRange<Int>]? {
        let totals = Set(sums.map(\.total))
        let leaves = Array(Set(sums.flatMap(\.parts)).subtracting(totals)).sorted()
        guard sums.allSatisfy({ Set($0.parts).isDisjoint(with: totals) }),
              leaves.allSatisfy({ hi[$0] < Self.infinity })
        else { return nil }
        let position = Dictionary(uniqueKeysWithValues: leaves.enumerated().map { ($1, $0) })
        // For each leaf, the sums it is a part of (once per occurrence).
        var member = Array(repeating: [Int](), count: leaves.count)
        // Sums checked in full once their last leaf is set.
        var closing = Array(repeating: [Int](), count: leaves.count)
        for (s, sum) in sums.enumerated() {
            for part in sum.parts { member[position[part]!].append(s) }
            if let last = sum.parts.map({ position[$0]! }).max() { closing[last].append(s) }
        }
        var partial = Array(repeating: 0, count: sums.count)
        // Σ hi of each sum's parts not yet set: the most it can still gain.
        var remaining = sums.map { $0.parts.reduce(0) { $0 + hi[$1] } }
        // A total shared by several sums must take one value.
        var totalValue: [Int: Int] = [:]
        var low = leaves.map { _ in Int.max }, high = leaves.map { _ in Int.min }
        var values = Array(repeating: 0, count: leaves.count)
        var visited = 0
        func search(_ i: Int) -> Bool {
            visited += 1
            if visited > budget { return false }
            if i == leaves.count {
                for j in values.indices {
                    low[j] = min(low[j], values[j])
                    high[j] = max(high[j], values[j])
                }
                return true
            }
            let leaf = leaves[i]
            for s in member[i] { remaining[s] -= hi[leaf] }
            defer { for s in member[i] { remaining[s] += hi[leaf] } }
            value: for v in lo[leaf]...hi[leaf] {
                for s in member[i] { partial[s] += v }
                defer { for s in member[i] { partial[s] -= v } }
                // Partial sums only grow: once over a total's bound, stop;
                // while even the maxima of the rest cannot reach its lower
                // bound, try a larger value.
                if member[i].contains(where: { partial[$0] > hi[sums[$0].total] }) { break }
                if member[i].contains(where: { partial[$0] + remaining[$0] < lo[sums[$0].total] }) { continue }
                var fixed: [Int] = []
                defer { for t in fixed { totalValue[t] = nil } }
                for s in closing[i] {
                    let t = sums[s].total
                    guard partial[s] >= lo[t] else { continue value }
                    if let known = totalValue[t] {
                        guard known == partial[s] else { continue value }
                    } else {
                        totalValue[t] = partial[s]
                        fixed.append(t)
                    }
                }
                values[i] = v
                guard search(i + 1) else { return false }
            }
            return true
        }
        guard search(0), low.allSatisfy({ $0 != Int.max }) else { return nil }
        var result: [Int: ClosedRange<Int>] = [:]
        for (j, leaf) in leaves.enumerated() { result[leaf] = low[j]...high[j] }
        return result
    }
}
