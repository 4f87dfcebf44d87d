import PropertyBased
import Testing
import VertrouwdCore

/// A random week: a policy and many small counts (0…12, now and then up to
/// 40), in one 1-D table, a 2-D table and alert groups over the 1-D table.
struct PrivacyCase: Sendable, CustomStringConvertible {
    var k: Int
    var roundTo: Int
    var counts: [Int]
    var grid: [[Int]]
    /// Alert groups: indices into `counts`, with the rule's min_count.
    var groups: [(cells: [Int], minCount: Int)]

    var policy: PrivacyPolicy { privacyPolicy(k: k, roundTo: roundTo) }
    var cells: [(key: String, count: Int)] { counts.enumerated().map { ("c\($0)", $1) } }
    var rows: [String] { grid.indices.map { "r\($0)" } }
    var columns: [String] { (grid.first ?? []).indices.map { "k\($0)" } }

    /// The alert bounds the week's alerts gave: the band of each group's
    /// true count, where it reached one.
    var alerts: [AlertBound] {
        groups.compactMap { group in
            let sum = Set(group.cells).reduce(0) { $0 + counts[$1] }
            return Bands.band(for: sum, minCount: group.minCount).map { band in
                AlertBound(cells: group.cells.map { CellID(table: "t", row: "c\($0)") }, atLeast: band)
            }
        }
    }

    var description: String {
        "k=\(k) roundTo=\(roundTo) counts=\(counts) grid=\(grid) groups=\(groups.map { "\($0.cells)≥\($0.minCount)" })"
    }
}

enum PrivacyGen {
    static func count(_ rng: inout some RandomNumberGenerator) -> Int {
        Int.random(in: 0..<10, using: &rng) == 0 ? Int.random(in: 13...40, using: &rng) : Int.random(in: 0...12, using: &rng)
    }

    static let week = Generator<PrivacyCase, Shrink.None<PrivacyCase>>(run: { rng in
        let k = Int.random(in: 3...10, using: &rng)
        let roundTo = [1, 2, 5, 10].randomElement(using: &rng)!
        let counts = (0..<Int.random(in: 1...8, using: &rng)).map { _ in count(&rng) }
        let width = Int.random(in: 1...4, using: &rng)
        let grid = (0..<Int.random(in: 1...4, using: &rng)).map { _ in (0..<width).map { _ in count(&rng) } }
        let groups = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
            ((0..<Int.random(in: 1...3, using: &rng)).map { _ in Int.random(in: 0..<counts.count, using: &rng) },
             Int.random(in: k...(2 * k), using: &rng))
        }
        return PrivacyCase(k: k, roundTo: roundTo, counts: counts, grid: grid, groups: groups)
    })
}

/// P4 and P5 for one value against its true count.
func checkValue(_ value: PublishedValue, truth: Int, policy: PrivacyPolicy, _ what: @autoclosure () -> String) {
    let k = policy.minGroupSize
    switch value {
    case .suppressed:
        #expect(truth < k, "\(what()): '<\(k)' for \(truth)")
    case .withheld:
        #expect(truth >= k, "\(what()): withheld \(truth)")
    case .omitted:
        return // a left-out table's value: never shown
    case .count(let shown):
        #expect(truth >= k && shown >= k, "\(what()): \(shown) for \(truth)")
        #expect(shown % policy.roundTo == 0, "\(what()): \(shown) not a multiple of \(policy.roundTo)")
        #expect(shown == policy.rounded(truth), "\(what()): \(shown) for \(truth)")
    }
    let text = value.text(k: k)
    #expect(text == "<\(k)" || text == "x" || (Int(text) ?? 0) >= k, "\(what()): text \(text)")
}

/// The checker's intervals contain the truth (it is sound, so an empty
/// `pinnedCells` is not an accident of a wrong model).
func checkSound(_ found: [CellID: ClosedRange<Int>]?, truth: [CellID: Int], _ what: String) {
    guard let found else {
        Issue.record("\(what): published values judged inconsistent")
        return
    }
    for (cell, value) in truth {
        #expect(found[cell]?.contains(value) == true, "\(what): \(cell)=\(value) outside \(String(describing: found[cell]))")
    }
}

@Suite("Privacy properties (P4, P5, P6, P8)")
struct PrivacyPropertyTests {
    @Test func oneDimensionalTables() async {
        await propertyCheck(count: 500, input: PrivacyGen.week) { week in
            let policy = week.policy
            let table = Suppression.publish(week.cells, policy: policy)
            #expect(table.rows.map(\.key) == week.cells.map(\.key))
            for (row, count) in zip(table.rows, week.counts) { checkValue(row.value, truth: count, policy: policy, "\(week)") }
            // P5: the total comes from the unrounded sum.
            let sum = week.counts.reduce(0, +)
            #expect(table.total == policy.publish(sum) || (table.total == .withheld && sum >= week.k), "\(week)")
            // P6.
            let truth = Dictionary(uniqueKeysWithValues: week.cells.map { (CellID(table: "t", row: $0.key), $0.count) })
            checkSound(DisclosureChecker.intervals(tables: ["t": table], policy: policy), truth: truth, "\(week)")
            #expect(DisclosureChecker.pinnedCells(tables: ["t": table], policy: policy).isEmpty, "\(week) → \(table)")
        }
    }

    @Test func twoDimensionalTables() async {
        await propertyCheck(count: 500, input: PrivacyGen.week) { week in
            let policy = week.policy
            // nil: nothing is shown, which pins nothing (publish2D rule 4).
            guard let table = Suppression.publish2D(rows: week.rows, columns: week.columns, counts: week.grid, policy: policy) else { return }
            var truth: [CellID: Int] = [:]
            for (r, row) in week.grid.enumerated() {
                for (c, count) in row.enumerated() {
                    checkValue(table.cells[r][c], truth: count, policy: policy, "\(week) [\(r),\(c)]")
                    truth[CellID(table: "t", row: week.rows[r], column: week.columns[c])] = count
                }
                checkValue(table.rowTotals[r], truth: row.reduce(0, +), policy: policy, "\(week) row \(r)")
            }
            for c in week.columns.indices {
                checkValue(table.columnTotals[c], truth: week.grid.reduce(0) { $0 + $1[c] }, policy: policy, "\(week) column \(c)")
            }
            checkValue(table.total, truth: week.grid.joined().reduce(0, +), policy: policy, "\(week) total")
            checkSound(DisclosureChecker.intervals(tables2D: ["t": table], policy: policy), truth: truth, "\(week)")
            #expect(DisclosureChecker.pinnedCells(tables2D: ["t": table], policy: policy).isEmpty, "\(week) → \(table)")
        }
    }

    @Test func alertsAgainstTheWeek() async {
        await propertyCheck(count: 500, input: PrivacyGen.week) { week in
            let policy = week.policy, alerts = week.alerts
            let protected = Disclosure.protectWeek(["t": week.cells], alerts: alerts, policy: policy)
            #expect(Disclosure.disclosedCells(tables: protected.tables, alerts: alerts, policy: policy).isEmpty, "\(week)")
            if let table = protected.tables["t"] {
                for (row, count) in zip(table.rows, week.counts) { checkValue(row.value, truth: count, policy: policy, "\(week)") }
                let truth = Dictionary(uniqueKeysWithValues: week.cells.map { (CellID(table: "t", row: $0.key), $0.count) })
                checkSound(DisclosureChecker.intervals(tables: protected.tables, alerts: alerts, policy: policy),
                           truth: truth, "\(week)")
            } else {
                #expect(protected.withheldTables == ["t"])
            }
        }
    }

    /// Two tables of the same signals (category = row sums, channel =
    /// column sums of the grid) share one total; alerts group cells of
    /// either. Together they still pin nothing.
    @Test func alertsAgainstLinkedTables() async {
        await propertyCheck(count: 300, input: PrivacyGen.week) { week in
            let policy = week.policy
            let category = week.grid.enumerated().map { (key: "r\($0)", count: $1.reduce(0, +)) }
            let channel = week.columns.indices.map { c in (key: "k\(c)", count: week.grid.reduce(0) { $0 + $1[c] }) }
            var truth: [CellID: Int] = [:]
            for cell in category { truth[CellID(table: "category", row: cell.key)] = cell.count }
            for cell in channel { truth[CellID(table: "channel", row: cell.key)] = cell.count }
            let alerts: [AlertBound] = week.groups.enumerated().compactMap { n, group in
                let (name, table) = n % 2 == 0 ? ("category", category) : ("channel", channel)
                let cells = Set(group.cells.map { CellID(table: name, row: table[$0 % table.count].key) })
                let sum = cells.reduce(0) { $0 + truth[$1]! }
                return Bands.band(for: sum, minCount: group.minCount).map { AlertBound(cells: Array(cells), atLeast: $0) }
            }
            let week2 = Disclosure.protectWeek(["category": category, "channel": channel], alerts: alerts,
                                               policy: policy, linkedTotals: true)
            #expect(Disclosure.disclosedCells(tables: week2.tables, alerts: alerts, policy: policy, linkedTotals: true).isEmpty,
                    "\(week)")
            let shown = truth.filter { week2.tables[$0.key.table] != nil }
            checkSound(DisclosureChecker.intervals(tables: week2.tables, alerts: alerts, policy: policy, linkedTotals: true),
                       truth: shown, "\(week)")
        }
    }

    /// The checker has teeth: with exact counts (roundTo 1) and one small
    /// non-zero cell among large ones, primary suppression alone is caught.
    @Test func naivePublisherIsAlwaysCaught() async {
        await propertyCheck(count: 500, input: PrivacyGen.week) { week in
            // One cell alone is its own total, "<k" too: nothing to catch.
            guard week.counts.count >= 2 else { return }
            let policy = privacyPolicy(k: week.k, roundTo: 1)
            let small = 1 + week.counts[0] % (week.k - 1)
            let counts = [small] + week.counts.dropFirst().map { week.k + $0 }
            let naive = PublishedTable(
                rows: counts.enumerated().map { PublishedRow(key: "c\($0)", value: policy.publish($1)) },
                total: policy.publish(counts.reduce(0, +)))
            #expect(DisclosureChecker.pinnedCells(tables: ["t": naive], policy: policy) == [CellID(table: "t", row: "c0")],
                    "\(counts)")
        }
    }
}
