import PropertyBased
import Testing
import VertrouwdCore

/// P8 against an exact attacker: a small 1-D table plus alert bounds over
/// groups of its cells is several sums at once, where interval propagation
/// is only a relaxation. Enumerate every consistent table instead.
@Suite("Exact attacker on a week's table and alerts (P8)")
struct DisclosureWeekOracleTests {
    typealias Input = (k: Int, roundTo: Int, counts: [Int], groups: [[Int]], minCounts: [Int])

    static let week = Generator<Input, Shrink.None<Input>>(run: { rng in
        let k = Int.random(in: 3...5, using: &rng)
        let roundTo = [1, 1, 2, 5].randomElement(using: &rng)!
        let counts = (0..<Int.random(in: 2...5, using: &rng)).map { _ in Int.random(in: 0...9, using: &rng) }
        let groups = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
            (0..<Int.random(in: 1...3, using: &rng)).map { _ in Int.random(in: 0..<counts.count, using: &rng) }
        }
        return (k, roundTo, counts, groups, groups.map { _ in Int.random(in: k...(2 * k), using: &rng) })
    })

    /// Every vector of true counts consistent with the published table and
    /// the alert bounds; per cell, the values it can take.
    static func feasible(_ table: PublishedTable, alerts: [(cells: Set<Int>, atLeast: Int)],
                         policy: PrivacyPolicy) -> [Set<Int>] {
        let total = table.total.interval(policy: policy)!
        let cap = min(total.upperBound, 200)
        let domains = table.rows.map { row -> ClosedRange<Int> in
            let range = row.value.interval(policy: policy)!
            return range.lowerBound...min(range.upperBound, max(cap, range.lowerBound))
        }
        var result = domains.map { _ in Set<Int>() }
        var values = Array(repeating: 0, count: domains.count)
        func search(_ i: Int, _ sum: Int) {
            if sum > total.upperBound { return }
            if i == domains.count {
                guard total.contains(sum),
                      alerts.allSatisfy({ alert in alert.cells.reduce(0) { $0 + values[$1] } >= alert.atLeast })
                else { return }
                for (j, v) in values.enumerated() { result[j].insert(v) }
                return
            }
            for v in domains[i] {
                values[i] = v
                search(i + 1, sum + v)
            }
        }
        search(0, 0)
        return result
    }

    @Test func noExactPinFromAlerts() async {
        await propertyCheck(count: 1000, input: Self.week) { input in
            let policy = privacyPolicy(k: input.k, roundTo: input.roundTo)
            let cells = input.counts.enumerated().map { (key: "c\($0)", count: $1) }
            var raw: [(cells: Set<Int>, atLeast: Int)] = []
            for (group, minCount) in zip(input.groups, input.minCounts) {
                let members = Set(group)
                if let band = Bands.band(for: members.reduce(0) { $0 + input.counts[$1] }, minCount: minCount) {
                    raw.append((members, band))
                }
            }
            let alerts = raw.map { AlertBound(cells: $0.cells.map { CellID(table: "t", row: "c\($0)") }, atLeast: $0.atLeast) }
            let week = Disclosure.protectWeek(["t": cells], alerts: alerts, policy: policy)
            guard let table = week.tables["t"] else { return }   // left out: nothing to attack
            let found = Self.feasible(table, alerts: raw, policy: policy)
            for (j, count) in input.counts.enumerated() {
                #expect(found[j].contains(count), "\(input): cell \(j)")
                if found[j].count == 1, let only = found[j].first {
                    #expect(only == 0 || only >= input.k, "\(input): cell \(j) pinned to \(only) → \(table)")
                }
            }
        }
    }
}
