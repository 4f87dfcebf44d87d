import Testing
import VertrouwdCore

/// Texts of a published 1-D table, row by row, then the total.
func texts(_ table: PublishedTable, k: Int) -> [String] {
    table.rows.map { $0.value.text(k: k) } + [table.total.text(k: k)]
}

@Suite("Suppression and the disclosure checker (P4–P6, P8)")
struct SuppressionTests {
    let exact = privacyPolicy(k: 5, roundTo: 1)
    let standard = privacyPolicy(k: 5, roundTo: 5)

    @Test func oneSmallCellGetsASecondSuppression() {
        let table = Suppression.publish([("a", 12), ("b", 3), ("c", 20)], policy: exact)
        // Without the second suppression, 35 − 12 − 20 = 3.
        #expect(texts(table, k: 5) == ["x", "<5", "20", "35"])
        #expect(DisclosureChecker.pinnedCells(tables: ["t": table], policy: exact).isEmpty)
    }

    @Test func naivePublisherIsCaught() {
        // Primary suppression only: the checker must find the cell.
        let naive = PublishedTable(
            rows: [("a", 12), ("b", 3), ("c", 20)].map { PublishedRow(key: $0.0, value: exact.publish($0.1)) },
            total: exact.publish(35))
        #expect(DisclosureChecker.pinnedCells(tables: ["t": naive], policy: exact) == [CellID(table: "t", row: "b")])
        #expect(DisclosureChecker.intervals(tables: ["t": naive], policy: exact)?[CellID(table: "t", row: "b")] == 3...3)
    }

    @Test func rulesOfThumbAreNotEnoughTheCheckerJudges() {
        // Two small cells with sum 8 ≥ k pass the textbook rule, yet each
        // is ≤ 4, so a sum of 8 pins both to 4; the judge withholds more.
        let table = Suppression.publish([("a", 4), ("b", 4), ("c", 30)], policy: exact)
        #expect(texts(table, k: 5) == ["<5", "<5", "x", "38"])
        #expect(DisclosureChecker.pinnedCells(tables: ["t": table], policy: exact).isEmpty)
    }

    @Test func allButOneCellSmall() {
        // Small cells sum to 4: the one large cell is withheld, only the total shows.
        let table = Suppression.publish([("a", 1), ("b", 2), ("c", 1), ("d", 30)], policy: standard)
        #expect(texts(table, k: 5) == ["<5", "<5", "<5", "x", "35"])
        // Small cells summing to ≥ k protect each other.
        let covered = Suppression.publish([("a", 2), ("b", 2), ("c", 2), ("d", 30)], policy: standard)
        #expect(texts(covered, k: 5) == ["<5", "<5", "<5", "30", "35"])
        #expect(DisclosureChecker.presenceCells(tables: ["t": covered], policy: standard).isEmpty)
    }

    @Test func zeroCellsAreSuppressedButNeedNoCover() {
        let table = Suppression.publish([("a", 0), ("b", 0), ("c", 20)], policy: exact)
        #expect(texts(table, k: 5) == ["<5", "<5", "20", "20"])
    }

    @Test func totalRule() {
        // Rounded from the unrounded sum 14, not from 5 + 5.
        #expect(texts(Suppression.publish([("a", 7), ("b", 7)], policy: standard), k: 5) == ["5", "5", "15"])
        // A total below k is "<k" too, and then the small cells need no cover.
        #expect(texts(Suppression.publish([("a", 1), ("b", 2)], policy: standard), k: 5) == ["<5", "<5", "<5"])
        #expect(texts(Suppression.publish([("a", 3)], policy: standard), k: 5) == ["<5", "<5"])
        #expect(texts(Suppression.publish([], policy: standard), k: 5) == ["<5"])
    }

    @Test func twoDimensionalRectangle() throws {
        let table = try #require(Suppression.publish2D(rows: ["A", "B"], columns: ["x", "y"],
                                                       counts: [[10, 2], [10, 10]], policy: exact))
        // The rectangle: the small cell and three withheld cells.
        #expect(table.cells == [[.withheld, .suppressed], [.withheld, .withheld]])
        #expect(table.rowTotals == [.count(12), .count(20)])
        #expect(table.columnTotals == [.count(20), .count(12)])
        #expect(table.total == .count(32))
        #expect(DisclosureChecker.pinnedCells(tables2D: ["t": table], policy: exact).isEmpty)
    }

    @Test func naive2DIsCaught() {
        let counts = [[10, 2], [10, 10]]
        let naive = PublishedTable2D(
            rows: ["A", "B"], columns: ["x", "y"], cells: counts.map { $0.map(exact.publish) },
            rowTotals: [12, 20].map(exact.publish), columnTotals: [20, 12].map(exact.publish),
            total: exact.publish(32))
        #expect(DisclosureChecker.pinnedCells(tables2D: ["t": naive], policy: exact)
                == [CellID(table: "t", row: "A", column: "y")])
    }

    @Test func alertBandsAgainstTheWeek() {
        let channel = [("instagram", 6), ("snapchat", 4), ("tiktok", 1), ("whatsapp", 20)]
        let social = [CellID(table: "channel", row: "instagram"), CellID(table: "channel", row: "snapchat")]
        let alert = AlertBound(cells: social, atLeast: Bands.band(for: 10, minCount: 5)!)
        // The table alone is fine (small cells sum to 5, each 1…4) …
        let alone = Suppression.publish(channel, policy: exact)
        #expect(DisclosureChecker.pinnedCells(tables: ["channel": alone], policy: exact).isEmpty)
        // … but "social: at least 10" minus instagram's 6 pins snapchat to 4.
        #expect(Disclosure.disclosedCells(tables: ["channel": alone], alerts: [alert], policy: exact)
                == [CellID(table: "channel", row: "snapchat"), CellID(table: "channel", row: "tiktok")])
        let week = Disclosure.protectWeek(["channel": channel], alerts: [alert], policy: exact)
        #expect(week.withheldTables.isEmpty)
        // Revealed in public order (total, then rows): instagram's 6 is
        // safe before snapchat is known; snapchat then could only show as
        // "<5" (pinned to 4) or a count, so nothing of it is shown; tiktok
        // "<5" is safe; whatsapp's value would give snapchat's back.
        #expect(texts(week.tables["channel"]!, k: 5) == ["6", "x", "<5", "x", "31"])
        #expect(week.tables["channel"]!["snapchat"] == .omitted)
        #expect(Disclosure.disclosedCells(tables: week.tables, alerts: [alert], policy: exact).isEmpty)
        #expect(DisclosureChecker.check(tables: week.tables, alerts: [alert], policy: exact)?.unsafe == [])
    }

    @Test func anAlertOverTwoSmallCellsKeepsThemUnshown() {
        // "at least 8" over two cells: showing both as "<5" would say both
        // are 4, so neither is shown as "<5" — and since that is decided
        // before their values are looked at, the "x" says nothing either.
        let channel = [("instagram", 4), ("snapchat", 4), ("whatsapp", 30)]
        let alert = AlertBound(cells: [CellID(table: "channel", row: "instagram"),
                                       CellID(table: "channel", row: "snapchat")], atLeast: 8)
        let week = Disclosure.protectWeek(["channel": channel, "site": [("a", 38)]], alerts: [alert], policy: exact)
        let shown = week.tables["channel"].map { [$0["instagram"], $0["snapchat"]] } ?? []
        #expect(!shown.allSatisfy { $0 == .suppressed })
        #expect(week.tables["site"]?.rows.map(\.value) == [.count(38)])
        #expect(DisclosureChecker.check(tables: week.tables, alerts: [alert], policy: exact,
                                        linkedTotals: false)?.unsafe == [])
    }

    /// Alerts count distinct pupils: the pupils of Monday's alert may be
    /// those of Tuesday's, so the week holds at least the highest band,
    /// not the sum (issue 13).
    @Test func alertBoundsOfSeveralDaysKeepTheHighestBand() {
        let g = [CellID(table: "c", row: "a")]
        let bounds = Disclosure.bounds([(g, "2026-11-23", 5), (g, "2026-11-23", 10), (g, "2026-11-24", 5)])
        #expect(bounds == [AlertBound(cells: g, atLeast: 10)])
    }

    /// Found by the exact attacker: total − alert group − shown pins c3
    /// (c0 + c2 ≥ 9 and c0 + c2 + c3 = 12). Propagation now sees it too:
    /// the alert group c0+c2+c4 nests in the table, and their difference
    /// is a sum of its own (`deriveNestedSums`, finding 6 of issue 13).
    @Test func alertGroupsTogetherWithTheTotal() {
        let cells = [("c0", 7), ("c1", 9), ("c2", 2), ("c3", 3), ("c4", 9)]
        let id = { (i: Int) in CellID(table: "t", row: "c\(i)") }
        let alerts = [AlertBound(cells: [id(0), id(2), id(4)], atLeast: 18),
                      AlertBound(cells: [id(0), id(1)], atLeast: 12),
                      AlertBound(cells: [id(3), id(4)], atLeast: 12)]
        // What protectWeek published before it had the exact attacker.
        let earlier = PublishedTable(
            rows: [.withheld, .count(9), .suppressed, .suppressed, .count(9)].enumerated().map {
                PublishedRow(key: "c\($0)", value: $1)
            },
            total: .count(30))
        #expect(DisclosureChecker.pinnedCells(tables: ["t": earlier], alerts: alerts, policy: exact, exactBudget: 0) == [id(3)])
        #expect(DisclosureChecker.pinnedCells(tables: ["t": earlier], alerts: alerts, policy: exact) == [id(3)])
        let week = Disclosure.protectWeek(["t": cells], alerts: alerts, policy: exact)
        #expect(Disclosure.disclosedCells(tables: week.tables, alerts: alerts, policy: exact).isEmpty)
    }

    /// Found by the exact attacker in 2-D: total − row − column isolates a
    /// cell. Plain propagation left it at 2…3; with nested sums derived
    /// (a row inside the total) propagation pins it as well.
    @Test func twoDimensionalNeedsTheExactAttacker() throws {
        let policy = privacyPolicy(k: 4, roundTo: 1)
        let table = PublishedTable2D(
            rows: ["r0", "r1"], columns: ["k0", "k1"],
            cells: [[.withheld, .suppressed], [.suppressed, .withheld]],
            rowTotals: [.withheld, .count(5)], columnTotals: [.count(5), .withheld], total: .count(13))
        let b = CellID(table: "t", row: "r0", column: "k1")
        #expect(DisclosureChecker.intervals(tables2D: ["t": table], policy: policy, exactBudget: 0)?[b] == 3...3)
        #expect(DisclosureChecker.pinnedCells(tables2D: ["t": table], policy: policy) == [b])
        let published = try #require(Suppression.publish2D(rows: ["r0", "r1"], columns: ["k0", "k1"], counts: [[5, 3], [0, 5]], policy: policy))
        #expect(DisclosureChecker.exactPinnedCells(published, policy: policy) == [])
    }

    /// Found by DisclosureOracleTests' random search: with every entry
    /// hidden, the marks alone ("<3" against "x" = at least 3) pinned all
    /// four cells, and publish2D still returned the table. It fails closed now.
    @Test func aTableThatStaysPinnedWithEverythingHiddenIsNotPublished() {
        let policy = privacyPolicy(k: 3, roundTo: 1)
        #expect(Suppression.publish2D(rows: ["r0", "r1"], columns: ["k0", "k1"], counts: [[1, 1], [2, 2]], policy: policy) == nil)
    }
}
