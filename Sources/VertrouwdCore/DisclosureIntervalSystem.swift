/// Integer interval constraint propagation over sums: variables with
/// bounds [lo, hi] and constraints "total = Σ parts". The checker's engine.
struct DisclosureIntervalSystem {
    /// Stands for +∞. Far above any count, far below overflow even when
    /// thousands of them are added.
    static let infinity = 1 << 40

    private(set) var lo: [Int] = []
    private(set) var hi: [Int] = []
    private(set) var sums: [(parts: [Int], total: Int)] = []

    /// How many variables there are.
    var variableCount: Int { lo.count }

    /// A new variable in `range` (clamped to 0…∞), returning its index.
    mutating func add(_ range: ClosedRange<Int>) -> Int {
        lo.append(max(range.lowerBound, 0))
        hi.append(min(range.upperBound, Self.infinity))
        return lo.count - 1
    }

    /// Narrows a variable to its intersection with `range`.
    mutating func restrict(_ index: Int, to range: ClosedRange<Int>) {
        lo[index] = max(lo[index], range.lowerBound)
        hi[index] = min(hi[index], min(range.upperBound, Self.infinity))
    }

    /// Adds the constraint Σ parts = total. Repeated parts count once each
    /// time they appear, like a sum would.
    mutating func sum(_ parts: [Int], equals total: Int) {
        sums.append((parts, total))
    }

    /// The bounds of a variable, with ∞ as Int.max.
    func range(_ index: Int) -> ClosedRange<Int> {
        lo[index]...(hi[index] >= Self.infinity ? Int.max : hi[index])
    }

    /// For every two sums whose parts nest (an alert group or a silent
    /// rule group inside a table), adds their difference as a sum of its
    /// own: Σ(outer − inner) + inner total = outer total. A linear
    /// consequence, so sound; it lets propagation, which reads one sum at a
    /// time, see what "table total − group" pins — without it only the
    /// exact search, which has a budget, could (finding 6 of issue 13).
    mutating func deriveNestedSums() {
        let original = sums
        var seen = Set(original.map { Derived(parts: Set($0.parts), total: $0.total) })
        for outer in original where Set(outer.parts).count == outer.parts.count {
            let outerParts = Set(outer.parts)
            for inner in original where inner.total != outer.total && Set(inner.parts).count == inner.parts.count {
                let innerParts = Set(inner.parts)
                guard innerParts.count < outerParts.count, innerParts.isSubset(of: outerParts),
                      !innerParts.contains(outer.total), !outerParts.contains(inner.total) else { continue }
                let parts = outer.parts.filter { !innerParts.contains($0) } + [inner.total]
                guard seen.insert(Derived(parts: Set(parts), total: outer.total)).inserted else { continue }
                sums.append((parts, outer.total))
            }
        }
    }

    /// Drops the sums `deriveNestedSums` added, keeping the bounds they
    /// proved: the exact search, whose budget counts its work per sum, runs
    /// on the original sums from the tighter bounds.
    mutating func dropDerivedSums(keeping count: Int) {
        if sums.count > count { sums.removeLast(sums.count - count) }
    }

    private struct Derived: Hashable {
        var parts: Set<Int>
        var total: Int
    }

    /// Tightens all bounds to a fixpoint; false if some interval became empty.
    mutating func propagate() -> Bool {
        // Every round either tightens a bound or stops. Bounds are integers
        // within 0…∞ and tighten monotonically, but a cycle of sums can
        // tighten by one per round, so the cap is generous; hitting it
        // leaves sound (if looser) bounds.
        for _ in 0..<100_000 {
            var changed = false
            for (parts, total) in sums {
                guard let tightened = tighten(parts, total) else { return false }
                changed = changed || tightened
            }
            if !changed { break }
        }
        return zip(lo, hi).allSatisfy { $0 <= $1 }
    }

    /// One pass over one sum: the total within [Σ lo, Σ hi]; each part
    /// within [total.lo - Σ others' hi, total.hi - Σ others' lo].
    private mutating func tighten(_ parts: [Int], _ total: Int) -> Bool? {
        var changed = false
        func set(_ i: Int, lower: Int, upper: Int) -> Bool {
            let newLo = max(lo[i], lower), newHi = min(hi[i], upper)
            if newLo != lo[i] || newHi != hi[i] { changed = true }
            lo[i] = newLo
            hi[i] = newHi
            return newLo <= newHi
        }
        let loSum = parts.reduce(0) { $0 + lo[$1] }
        // ∞ is tracked by count so that "Σ others' hi" stays exact.
        let infinite = parts.filter { hi[$0] >= Self.infinity }.count
        let finiteHi = parts.reduce(0) { hi[$1] >= Self.infinity ? $0 : $0 + hi[$1] }
        guard set(total, lower: loSum, upper: infinite > 0 ? Self.infinity : finiteHi) else { return nil }
        let totalLo = lo[total], totalHi = hi[total]
        for i in parts {
            let selfInfinite = hi[i] >= Self.infinity
            let othersInfinite = infinite - (selfInfinite ? 1 : 0) > 0
            let othersHi = finiteHi - (selfInfinite ? 0 : hi[i])
            let lower = othersInfinite ? 0 : totalLo - othersHi
            let upper = totalHi >= Self.infinity ? Self.infinity : totalHi - (loSum - lo[i])
            guard set(i, lower: lower, upper: upper) else { return nil }
        }
        return changed
    }
}
