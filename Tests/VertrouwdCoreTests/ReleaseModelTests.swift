import Testing
@testable import VertrouwdCore

/// Issue 13's release model for a week's tables: disclosure is a feasible
/// range inside 1…k-1, the check fails closed, and what is withheld is
/// decided from public facts only (findings 4 and 5 impossible by
/// construction).
@Suite("Release model: exact, fail-closed, oracle-free")
struct ReleaseModelTests {
    let policy = privacyPolicy(k: 5, roundTo: 1)

    @Test func someoneFewerThanKIsADisclosureToo() {
        // Total 12 and c 5: a and b hidden as "<5" add up to 7, so each is 3 or 4 —
        // no count pinned, but each proven non-empty and small.
        let table = PublishedTable(rows: [PublishedRow(key: "a", value: .suppressed),
                                          PublishedRow(key: "b", value: .suppressed),
                                          PublishedRow(key: "c", value: .count(5))],
                                   total: .count(12))
        let found = DisclosureChecker.check(tables: ["t": table], policy: policy)
        #expect(found?.disclosed == [CellID(table: "t", row: "a"), CellID(table: "t", row: "b")])
        #expect(DisclosureChecker.pinnedCells(tables: ["t": table], policy: policy).isEmpty)
    }

    @Test func aCheckThatRunsOutOfBudgetWithholdsEverything() {
        let counts = ["t": [(key: "a", count: 3), (key: "b", count: 9), (key: "c", count: 12)]]
        let alert = AlertBound(cells: [CellID(table: "t", row: "a"), CellID(table: "t", row: "b")], atLeast: 10)
        let generous = Disclosure.protectWeek(counts, alerts: [alert], policy: policy)
        #expect(!generous.tables.isEmpty)
        let starved = Disclosure.protectWeek(counts, alerts: [alert], policy: policy, budget: 0)
        #expect(starved.tables.isEmpty)
        #expect(starved.withheldTables == ["t"])
    }

    /// Finding 4's case seen by a reader who assumes one category per
    /// pupil: the alert over payment and grooming then covers those two
    /// rows only, and both "<5" would say 4 and 4. The sound facts allow
    /// pupils with several categories; the belief must be honoured too.
    @Test func aReleaseIsSafeUnderTheOneRowBeliefToo() {
        let rows = ["grooming", "image.request", "image.shared", "sextortion.payment", "sextortion.threat"]
        let counts = ["category": zip(rows, [4, 0, 30, 4, 0]).map { (key: $0, count: $1) }]
        func cells(_ names: [String]) -> [CellID] { names.map { CellID(table: "category", row: $0) } }
        let sound = [AlertBound(cells: cells(Array(rows[...3])), atLeast: 5)]
        let belief = [AlertBound(cells: cells(["grooming", "sextortion.payment"]), atLeast: 5)]
        let naive = Disclosure.protectWeek(counts, alerts: sound, policy: policy)
        #expect(DisclosureChecker.check(tables: naive.tables, alerts: belief, policy: policy)?.unsafe.isEmpty == false,
                "without the belief the release gives both away under it")
        let week = Disclosure.protectWeek(counts, alerts: sound, beliefs: [belief], policy: policy)
        #expect(DisclosureChecker.check(tables: week.tables, alerts: belief, policy: policy)?.unsafe == [])
        #expect(DisclosureChecker.check(tables: week.tables, alerts: sound, policy: policy)?.unsafe == [])
    }

    /// Simulatability: every week that the published release and the
    /// alerts allow gets the very same release. So the release tells
    /// nothing beyond its shown values — not which cell is smallest
    /// (finding 5), not that a pin would have existed (finding 4).
    @Test(arguments: 0..<24)
    func everyWeekTheReleaseAllowsGetsTheSameRelease(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed))
        let keys = ["a", "b", "c"]
        let truth = keys.map { _ in Int(rng.next() % 10) }
        let first = Int(rng.next() % 3), second = (first + 1 + Int(rng.next() % 2)) % 3
        let group = [first, second].map { CellID(table: "t", row: keys[$0]) }
        let sum = truth[first] + truth[second]
        let band = max(5, sum / 5 * 5)
        let alerts = sum >= 5 ? [AlertBound(cells: group, atLeast: band)] : []
        func week(_ values: [Int]) -> ProtectedWeek {
            Disclosure.protectWeek(["t": zip(keys, values).map { (key: $0, count: $1) }], alerts: alerts, policy: policy)
        }
        let release = week(truth)
        func allows(_ values: [Int]) -> Bool {
            if let bound = alerts.first, values[first] + values[second] < bound.atLeast { return false }
            guard let table = release.tables["t"] else { return true }
            func fits(_ shown: PublishedValue, _ count: Int) -> Bool {
                shown == .omitted || (shown == .withheld && count >= 5) || shown == policy.publish(count)
            }
            return fits(table.total, values.reduce(0, +))
                && zip(table.rows, values).allSatisfy { fits($0.value, $1) }
        }
        var checked = 0
        for a in 0..<10 { for b in 0..<10 { for c in 0..<10 where allows([a, b, c]) {
            #expect(week([a, b, c]) == release, "\([a, b, c]) vs truth \(truth)")
            checked += 1
        } } }
        #expect(checked >= 1)
        #expect(DisclosureChecker.check(tables: release.tables, alerts: alerts, policy: policy)?.unsafe.isEmpty == true)
    }
}

