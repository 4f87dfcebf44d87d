/// The exact attacker as a feasibility search (issue 13, "check each
/// release exactly"): instead of enumerating every assignment, which runs
/// out of budget on realistic weeks, it asks one question per cell — can
/// this cell be 0, and can it be k or more, in some integer assignment that
/// satisfies every published fact? A cell is disclosed when neither: its
/// feasible range lies inside 1…k-1.
///
/// The search branches on one variable at a time (the lower or the upper
/// half of its range) and propagates after every branch, so each answer
/// is a depth-first walk to one witness. Every witness found answers the
/// same questions for all other cells at once.
extension DisclosureIntervalSystem {
    /// What the search could prove about each cell.
    enum Verdict: Equatable {
        /// The facts contradict each other (never for true data).
        case infeasible
        /// The cells (variable indices) whose feasible range lies inside
        /// 1…k-1 (`surely`), and those the search could not clear within
        /// its budget (`undecided`): a caller fails closed on both.
        case disclosed(surely: Set<Int>, undecided: Set<Int>)
    }

    /// The cells of `cells` that are disclosed for k, searching at most
    /// `budget` nodes in all. Unbounded variables are capped at a value
    /// above every finite bound of the system (`searchCap`): a cap only
    /// drops assignments, so it can report a disclosure that is not there,
    /// never miss one.
    func disclosed(_ cells: [Int], k: Int, budget: Int) -> Verdict {
        var base = self
        guard base.propagate() else { return .infeasible }
        var candidates: [Int] = []
        var result = Set<Int>(), undecided = Set<Int>()
        for cell in cells {
            let range = base.range(cell)
            if range.lowerBound >= 1 && range.upperBound <= k - 1 {
                result.insert(cell)       // propagation is sound: surely disclosed
            } else if range.lowerBound < k {
                candidates.append(cell)   // may be 0 or ≥ k: a witness decides
            }
        }
        guard !candidates.isEmpty else { return .disclosed(surely: result, undecided: []) }
        let cap = base.searchCap(k: k)
        for v in base.lo.indices where base.hi[v] >= Self.infinity { base.restrict(v, to: base.lo[v]...max(cap, base.lo[v])) }
        var zero = Set<Int>(), large = Set<Int>()
        func witness(_ values: [Int]) {
            for cell in candidates {
                if values[cell] == 0 { zero.insert(cell) }
                if values[cell] >= k { large.insert(cell) }
            }
        }
        var nodes = budget
        for cell in candidates {
            let range = base.range(cell)
            var cleared = false, ranOut = false
            for wanted in [0...0, k...max(k, range.upperBound)] where range.overlaps(wanted) {
                if wanted.lowerBound == 0 ? zero.contains(cell) : large.contains(cell) {
                    cleared = true
                    break
                }
                var branch = base
                branch.restrict(cell, to: wanted)
                switch branch.findAssignment(nodes: &nodes) {
                case .found(let values):
                    witness(values)
                    cleared = true
                case .overBudget:
                    ranOut = true
                case .none:
                    continue
                }
                if cleared { break }
            }
            if !cleared {
                if ranOut { undecided.insert(cell) } else { result.insert(cell) }
            }
        }
        return .disclosed(surely: result, undecided: undecided)
    }

    /// The value unbounded variables are capped at: twice every finite
    /// bound of the system plus k, so that a value there satisfies every
    /// lower bound of a sum it is a part of on its own.
    func searchCap(k: Int) -> Int {
        let finite = (lo + hi).filter { $0 < Self.infinity }
        return 2 * finite.reduce(0, +) + k
    }

    enum Search {
        case found([Int])
        case none
        case overBudget
    }

    /// One integer assignment within the bounds that satisfies every sum,
    /// spending at most `nodes` search nodes (decremented).
    func findAssignment(nodes: inout Int) -> Search {
        var system = self
        guard nodes > 0 else { return .overBudget }
        nodes -= 1
        guard system.propagate() else { return .none }
        // Branch on the unfixed variable with the narrowest range.
        var pick: Int?
        for v in system.lo.indices where system.lo[v] < system.hi[v] {
            if pick == nil || system.hi[v] - system.lo[v] < system.hi[pick!] - system.lo[pick!] { pick = v }
        }
        guard let v = pick else {
            let fits = system.sums.allSatisfy { sum in
                sum.parts.reduce(0) { $0 + system.lo[$1] } == system.lo[sum.total]
            }
            return fits ? .found(system.lo) : .none
        }
        // Halves, the lower first: depth grows with the log of a range.
        let middle = system.lo[v] + (system.hi[v] - system.lo[v]) / 2
        var low = system, rest = system
        low.restrict(v, to: system.lo[v]...middle)
        rest.restrict(v, to: (middle + 1)...system.hi[v])
        var overBudget = false
        for branch in [low, rest] {
            switch branch.findAssignment(nodes: &nodes) {
            case .found(let values): return .found(values)
            case .overBudget: overBudget = true
            case .none: continue
            }
            if overBudget { break }
        }
        return overBudget ? .overBudget : .none
    }
}
