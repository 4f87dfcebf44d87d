import Foundation
import Testing
import VertrouwdCore

/// Finding 7 of issue 13: a reload forgets nothing already said. The week's
/// alerts are placed with the rule that decided them (the ledger's stored
/// definition), not with the rule of that name in today's config.
@Suite("Reload and the alert ledger")
struct ReloadLedgerTests {
    static let zone = TimeZone(identifier: "Europe/Amsterdam")!
    let cells = SummaryCells(taxonomy: Fixture.taxonomy)
    let week = Window.week(label: "2026-W48", in: Self.zone)!
    let policy = privacyPolicy(k: 5, roundTo: 1)

    /// The rule that alerted under the old config, "at least 10".
    static let old = Rule(name: "oud-betaal-en-grooming", kind: .threshold(window: .week),
                          match: [CategoryPattern("sextortion.payment"), CategoryPattern("grooming")],
                          minCount: 10, groupBy: [], severity: .high)
    /// The config after the reload: the old rule is gone.
    static let now = [Rule(name: "dreiging", kind: .threshold(window: .week), match: [CategoryPattern("sextortion.threat")],
                           minCount: 50, groupBy: [], severity: .high)]

    func entry(_ rule: Rule?, name: String = Self.old.name, band: Int = 10, group: GroupKey = .wholeSchool) -> LoggedAlert {
        LoggedAlert(key: AlertKey(rule: name, windowStart: week.start, group: group, band: band), rule: rule)
    }

    /// The attacker's case `reload-forgets`: payment 6, grooming 4, image
    /// 3 and 20 pupils.
    func counts() -> [String: [(key: String, count: Int)]] {
        let hour = week.start / 3_600 + 30
        func bucket(_ category: String, _ n: Int) -> BucketCount {
            BucketCount(hour: hour, category: category, site: "hoofdgebouw", cohort: "klas-4", channel: "instagram", count: n)
        }
        return cells.counts([bucket("sextortion.payment", 6), bucket("grooming", 4), bucket("image.request", 3),
                             bucket("image.shared", 20)])
    }

    /// What the summary publishes with these alerts (as `SummaryBuilder`
    /// checks it), and the cells a reader pins in it with the ledger's facts.
    func pinned(publishedWith alerts: SummaryAlerts, ledger: SummaryAlerts) -> [CellID] {
        let published = Disclosure.protectWeek(counts(), alerts: Disclosure.bounds(alerts.bounds) + alerts.silences,
                                               beliefs: [Disclosure.bounds(alerts.matchingRowBounds) + alerts.silences],
                                               policy: policy, linkedTotals: true)
        let sound = Disclosure.disclosedCells(tables: published.tables, alerts: Disclosure.bounds(ledger.bounds) + ledger.silences,
                                              policy: policy, linkedTotals: true)
        let believed = Disclosure.disclosedCells(tables: published.tables,
                                                 alerts: Disclosure.bounds(ledger.matchingRowBounds) + ledger.silences,
                                                 policy: policy, linkedTotals: true)
        return sound + believed
    }

    @Test func aDeletedRulesAlertIsPlacedWithItsStoredDefinition() {
        let alerts = SummaryAlerts(week: week, ledger: [entry(Self.old)], rules: Self.now, cells: cells, zone: Self.zone, k: 5)
        #expect(alerts.lines.map { "\($0.window) \($0.rule) \($0.atLeast)" } == ["2026-W48 oud-betaal-en-grooming 10"])
        #expect(alerts.bounds.first.map { $0.cells.map(\.description) }
                == ["category[grooming]", "category[sextortion.threat]", "category[sextortion.payment]"])
        #expect(alerts.matchingRowBounds.first.map { $0.cells.map(\.description) }
                == ["category[grooming]", "category[sextortion.payment]"])
        #expect(alerts.bounds.allSatisfy { $0.atLeast == 10 })
        // Before the ledger the entry had no definition: it was skipped.
        let forgotten = SummaryAlerts(week: week, ledger: [entry(nil)], rules: Self.now, cells: cells, zone: Self.zone, k: 5)
        #expect(forgotten.lines.isEmpty && forgotten.bounds.isEmpty)
    }

    /// The attacker's pin "category[grooming] = 4": published with the
    /// alert forgotten, the reader who kept the alert pins grooming; with
    /// the ledger the summary withholds what would pin it.
    @Test func theLedgerKeepsTheDeletedRulesAlertInTheCheck() {
        let ledger = SummaryAlerts(week: week, ledger: [entry(Self.old)], rules: Self.now, cells: cells, zone: Self.zone, k: 5)
        let forgotten = SummaryAlerts(week: week, ledger: [entry(nil)], rules: Self.now, cells: cells, zone: Self.zone, k: 5)
        #expect(pinned(publishedWith: forgotten, ledger: ledger).contains(CellID(table: "category", row: "grooming")))
        #expect(pinned(publishedWith: ledger, ledger: ledger).isEmpty)
    }

    @Test func aChangedRulesAlertKeepsTheMatchItHadThen() {
        var changed = Self.old
        changed.match = [CategoryPattern("grooming")]
        let ledger = [entry(Self.old)]
        let alerts = SummaryAlerts(week: week, ledger: ledger, rules: [changed], cells: cells, zone: Self.zone, k: 5)
        #expect(alerts.matchingRowBounds.first.map { $0.cells.map(\.description) }
                == ["category[grooming]", "category[sextortion.payment]"], "the old match, not the new one")
        let lines = SummaryContent.AlertLine.lines(week: week, ledger: ledger, rules: [changed], taxonomy: Fixture.taxonomy, zone: Self.zone)
        #expect(lines.map(\.categories) == [["grooming", "sextortion.payment"]])
        // Read as before the ledger, the entry took the new match.
        let old = SummaryAlerts(week: week, ledger: [entry(nil)], rules: [changed], cells: cells, zone: Self.zone, k: 5)
        #expect(old.matchingRowBounds.first.map { $0.cells.map(\.description) } == ["category[grooming]"])
    }

    /// Two entries of one name under different definitions are two alerts,
    /// two facts; the lines the check reads and the rendered lines agree.
    @Test func oneNameUnderTwoDefinitionsIsTwoAlerts() {
        var changed = Self.old
        changed.minCount = 5
        changed.match = [CategoryPattern("grooming")]
        let ledger = [entry(Self.old, band: 10), entry(changed, band: 5), entry(changed, band: 10)]
        let alerts = SummaryAlerts(week: week, ledger: ledger, rules: [changed], cells: cells, zone: Self.zone, k: 5)
        #expect(alerts.lines.map { "\($0.rule) \($0.atLeast)" }.sorted() == ["oud-betaal-en-grooming 10", "oud-betaal-en-grooming 10"])
        let categoryBounds = alerts.matchingRowBounds.filter { $0.cells.first?.table == "category" }
        #expect(Set(categoryBounds.map { $0.cells.map(\.description) })
                == [["category[grooming]", "category[sextortion.payment]"], ["category[grooming]"]])
        let lines = SummaryContent.AlertLine.lines(week: week, ledger: ledger, rules: [changed], taxonomy: Fixture.taxonomy, zone: Self.zone)
        #expect(lines.map { [$0.rule, $0.window, String($0.atLeast)] } == alerts.lines.map { [$0.rule, $0.window, String($0.atLeast)] })
        #expect(Set(lines.map(\.categories)) == [["grooming", "sextortion.payment"], ["grooming"]])
    }

    @Test func anEntryFromBeforeTheLedgerTakesTheCurrentRuleOrIsLeftOut() {
        let ledger = [entry(nil), entry(nil, name: "dreiging", band: 50)]
        let alerts = SummaryAlerts(week: week, ledger: ledger, rules: Self.now, cells: cells, zone: Self.zone, k: 5)
        #expect(alerts.lines.map(\.rule) == ["dreiging"])
        let lines = SummaryContent.AlertLine.lines(week: week, ledger: ledger, rules: Self.now, taxonomy: Fixture.taxonomy, zone: Self.zone)
        #expect(lines.map(\.categories) == [["sextortion.threat"]])
    }

    /// The silence of a rule changed mid-week: only logged bands that are
    /// bands of the CURRENT rule bound its count. Under min_count 15 the
    /// rule announced 15; now min_count 5, it stayed silent: had it reached
    /// 5 it would have announced 5, 10 or 20 (none logged), so it holds at
    /// most 4 — not 2 · 15 − 1.
    @Test func aChangedRulesSilenceUsesOnlyItsOwnBands() {
        let payment = [CategoryPattern("sextortion.payment")]
        let before = Rule(name: "betaal", kind: .threshold(window: .week), match: payment, minCount: 15, groupBy: [], severity: .high)
        var now = before
        now.minCount = 5
        let alerts = SummaryAlerts(week: week, ledger: [entry(before, name: "betaal", band: 15)], rules: [now], cells: cells,
                                   zone: Self.zone, k: 5)
        #expect(alerts.silences.map(\.atMost) == [4])
        // Bands of the current rule logged under the old definition do
        // bound it: the engine does not announce a band of the name that
        // is logged, so with 5 and 10 logged the count is below 20.
        let grooming = Rule(name: "betaal", kind: .threshold(window: .week), match: [CategoryPattern("grooming")], minCount: 5,
                            groupBy: [], severity: .high)
        let both = SummaryAlerts(week: week, ledger: [entry(grooming, name: "betaal", band: 5), entry(grooming, name: "betaal", band: 10)],
                                 rules: [now], cells: cells, zone: Self.zone, k: 5)
        #expect(both.silences.map(\.atMost) == [19])
        #expect(both.silences.first?.cells == [CellID(table: "category", row: "sextortion.payment")])
        #expect(both.silenceAlternatives == [], "5 and 10 logged: one interval, 0…19")
    }

    /// The corner one interval cannot say: under min_count 10 over grooming
    /// the name logged band 10; the rule now counts payment from 5 and
    /// stayed silent. Payment had it reached 5…9 would have announced 5;
    /// so it is 0…4 or 10…19 — two alternatives, each checked.
    @Test func aSilenceWithAGapInItsBandsIsCheckedUnderEachInterval() {
        let before = Rule(name: "betaal", kind: .threshold(window: .week), match: [CategoryPattern("grooming")], minCount: 10,
                          groupBy: [], severity: .high)
        let now = Rule(name: "betaal", kind: .threshold(window: .week), match: [CategoryPattern("sextortion.payment")], minCount: 5,
                       groupBy: [], severity: .high)
        let alerts = SummaryAlerts(week: week, ledger: [entry(before, name: "betaal", band: 10)], rules: [now], cells: cells,
                                   zone: Self.zone, k: 5)
        #expect(alerts.silences.map { "\($0.atLeast)…\($0.atMost)" } == ["0…19"], "the hull")
        #expect(alerts.silenceAlternatives?.map { $0.map { "\($0.atLeast)…\($0.atMost)" } } == [["0…4"], ["10…19"]])
        #expect(SummaryAlerts.intervals(base: 5, bands: [5, 20]) == [0...9, 20...39])
        #expect(SummaryAlerts.intervals(base: 5, bands: [5, 10, 20]) == [0...39])
        #expect(SummaryAlerts.intervals(base: 5, bands: []) == [0...4])
    }

    /// More combinations than the check takes: nil, and the summary
    /// leaves its tables out (SummaryBuilder).
    @Test func tooManyAlternativesFailClosed() {
        func gapped(_ name: String, _ dimension: VertrouwdCore.Dimension, _ rows: [String]) -> (rule: Rule, ledger: [LoggedAlert]) {
            let before = Rule(name: name, kind: .threshold(window: .week), match: [CategoryPattern("*")], minCount: 10,
                              groupBy: [dimension], severity: .high)
            var now = before
            now.minCount = 5
            return (now, rows.map { entry(before, name: name, band: 10, group: GroupKey([.init(dimension, $0.isEmpty ? .unknown : .known($0))])) })
        }
        let sites = gapped("per-locatie", .site, ["hoofdgebouw", "dependance", ""])
        let channels = gapped("per-kanaal", .channelGroup, ["social", "messaging", "gaming", "other", ""])
        let three = SummaryAlerts(week: week, ledger: sites.ledger, rules: [sites.rule], cells: cells, zone: Self.zone, k: 5)
        #expect(three.silenceAlternatives?.count == 8, "three groups with two intervals each")
        let eight = SummaryAlerts(week: week, ledger: sites.ledger + channels.ledger, rules: [sites.rule, channels.rule], cells: cells,
                                  zone: Self.zone, k: 5)
        #expect(eight.silences.count == 8)
        #expect(eight.silenceAlternatives == nil, "2⁸ combinations")
    }
}
