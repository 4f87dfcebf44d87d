import PropertyBased
import Testing
import VertrouwdCore

/// An exact attacker for small 2-D tables: enumerate every integer table
/// consistent with the published values and collect the values each hidden
/// cell can take. Interval propagation is only a relaxation in 2-D; this
/// checks that on small tables it misses no pin that matters.
enum ExactAttacker {
    /// For each hidden cell (row-major index), the set of feasible values.
    static func feasibleValues(_ table: PublishedTable2D, policy: PrivacyPolicy) -> [Int: Set<Int>] {
        let width = table.columns.count
        // Domains from the (sound) propagation; an unbounded one is capped
        // far above every count of the generator.
        let bounds = DisclosureChecker.intervals(tables2D: ["t": table], policy: policy)!
        let domains: [ClosedRange<Int>] = table.rows.indices.flatMap { r in
            table.columns.indices.map { c in
                let range = bounds[CellID(table: "t", row: table.rows[r], column: table.columns[c])]!
                return range.lowerBound...min(range.upperBound, 120)
            }
        }
        let rowRanges = table.rowTotals.map { $0.interval(policy: policy)! }
        let columnRanges = table.columnTotals.map { $0.interval(policy: policy)! }
        let totalRange = table.total.interval(policy: policy)!
        var feasible: [Int: Set<Int>] = [:]
        var values = Array(repeating: 0, count: domains.count)
        func search(_ i: Int) {
            if i > 0 && i % width == 0 {
                // A row is complete: prune on its margin.
                let r = i / width - 1
                guard rowRanges[r].contains(values[(r * width)..<(i)].reduce(0, +)) else { return }
            }
            if i == domains.count {
                for c in 0..<width {
                    let sum = stride(from: c, to: domains.count, by: width).reduce(0) { $0 + values[$1] }
                    guard columnRanges[c].contains(sum) else { return }
                }
                guard totalRange.contains(values.reduce(0, +)) else { return }
                for (j, v) in values.enumerated() { feasible[j, default: []].insert(v) }
                return
            }
            for v in domains[i] {
                values[i] = v
                search(i + 1)
            }
        }
        search(0)
        return feasible
    }
}

@Suite("Exact attacker on small 2-D tables (P6)")
struct DisclosureOracleTests {
    static let small = Generator<(k: Int, roundTo: Int, grid: [[Int]]), Shrink.None<(k: Int, roundTo: Int, grid: [[Int]])>>(run: { rng in
        let k = Int.random(in: 3...5, using: &rng)
        // Mostly exact counts, the sharpest case; rounding now and then.
        let roundTo = [1, 1, 1, 2, 5].randomElement(using: &rng)!
        let width = Int.random(in: 1...3, using: &rng)
        let grid = (0..<Int.random(in: 1...2, using: &rng)).map { _ in
            (0..<width).map { _ in Int.random(in: 0...9, using: &rng) }
        }
        return (k, roundTo, grid)
    })

    /// No integer table consistent with the publication leaves a small cell
    /// one value in 1…k-1; and the library's exact search agrees with this one.
    @Test func noExactPinOnSmallTables() async {
        await propertyCheck(count: 1000, input: Self.small) { input in
            let policy = privacyPolicy(k: input.k, roundTo: input.roundTo)
            let rows = input.grid.indices.map { "r\($0)" }, columns = input.grid[0].indices.map { "k\($0)" }
            // nil: nothing is shown, which pins nothing (publish2D rule 4).
            guard let table = Suppression.publish2D(rows: rows, columns: columns, counts: input.grid, policy: policy) else { return }
            let feasible = ExactAttacker.feasibleValues(table, policy: policy)
            let truth = input.grid.joined()
            if let exact = DisclosureChecker.exactIntervals(table, policy: policy, budget: 1_000_000) {
                for (j, id) in exact.keys.sorted(by: { ($0.row, $0.column!) < ($1.row, $1.column!) }).enumerated()
                where exact[id]!.upperBound < 120 {
                    #expect(feasible[j].map { $0.min()!...$0.max()! } == exact[id], "\(input) \(id)")
                }
            }
            for (j, value) in truth.enumerated() {
                #expect(feasible[j]?.contains(value) == true, "\(input) cell \(j)")
                if value < input.k, let only = feasible[j], only.count == 1 {
                    #expect(only.first == 0, "\(input): cell \(j) pinned to \(only) → \(table)")
                }
            }
        }
    }

    /// The exact attacker agrees with the naive-publisher catch.
    @Test func exactAttackerFindsTheNaiveLeak() {
        let policy = privacyPolicy(k: 5, roundTo: 1)
        let counts = [[10, 2], [10, 10]]
        let naive = PublishedTable2D(
            rows: ["A", "B"], columns: ["x", "y"], cells: counts.map { $0.map(policy.publish) },
            rowTotals: [12, 20].map(policy.publish), columnTotals: [20, 12].map(policy.publish),
            total: policy.publish(32))
        #expect(ExactAttacker.feasibleValues(naive, policy: policy)[1] == [2])
    }
}
