import Foundation
import Testing
import VertrouwdCore

/// Finding 2 of issue 13: silence is released information. A week rule
/// that did not alert says its group held at most base − 1 pupils; the
/// summary's check must use that.
@Suite("Silence in the summary check")
struct SilenceTests {
    static let zone = TimeZone(identifier: "Europe/Amsterdam")!
    let cells = SummaryCells(taxonomy: Fixture.taxonomy)
    let week = Window.week(label: "2026-W48", in: Self.zone)!
    let policy = privacyPolicy(k: 5, roundTo: 5)

    var payment: Rule {
        Rule(name: "betaalverzoek", kind: .threshold(window: .week), match: [CategoryPattern("sextortion.payment")],
             minCount: 5, groupBy: [], severity: .high)
    }
    var others: Rule {
        Rule(name: "overig", kind: .threshold(window: .week),
             match: ["grooming", "sextortion.threat", "image.request", "image.shared", "help_seeking", "distress"].map(CategoryPattern.init),
             minCount: 5, groupBy: [], severity: .medium)
    }

    /// Four payment and four grooming pupils; neither rule alerted.
    func counts() -> [String: [(key: String, count: Int)]] {
        let hour = week.start / 3_600 + 30
        return cells.counts([
            BucketCount(hour: hour, category: "sextortion.payment", site: "hoofdgebouw", cohort: "klas-4", channel: "instagram", count: 4),
            BucketCount(hour: hour, category: "grooming", site: "hoofdgebouw", cohort: "klas-4", channel: "instagram", count: 4),
        ])
    }

    @Test func theTwoSilencesAndTheTotalPinPaymentWithoutTheCheck() {
        let alerts = SummaryAlerts(week: week, log: [], rules: [payment, others], cells: cells, zone: Self.zone, k: 5)
        #expect(alerts.silences.map(\.atMost) == [4, 4])
        // Published as the old check did (no silences): payment is pinned.
        let naive = Disclosure.protectWeek(counts(), alerts: [], policy: policy, linkedTotals: true)
        let pinned = Disclosure.disclosedCells(tables: naive.tables, alerts: alerts.silences, policy: policy, linkedTotals: true)
        let ranges = DisclosureChecker.intervals(tables: naive.tables, alerts: alerts.silences, policy: policy, linkedTotals: true)
        #expect(pinned.contains(CellID(table: "category", row: "sextortion.payment")), Comment(rawValue: "\(String(describing: naive.tables["category"])) \(String(describing: ranges))"))
    }

    @Test func withTheSilencesTheSummaryPinsNothing() {
        let alerts = SummaryAlerts(week: week, log: [], rules: [payment, others], cells: cells, zone: Self.zone, k: 5)
        let week = Disclosure.protectWeek(counts(), alerts: alerts.silences, policy: policy, linkedTotals: true)
        #expect(Disclosure.disclosedCells(tables: week.tables, alerts: alerts.silences, policy: policy, linkedTotals: true).isEmpty)
    }

    @Test func anAlertWithoutEscalationBoundsItsGroupBelowTwiceItsBand() {
        let log = [AlertKey(rule: payment.name, windowStart: week.start, group: .wholeSchool, band: 5)]
        let alerts = SummaryAlerts(week: week, log: log, rules: [payment, others], cells: cells, zone: Self.zone, k: 5)
        #expect(alerts.silences.first?.atMost == 9)
        #expect(alerts.silences.first?.cells == [CellID(table: "category", row: "sextortion.payment")])
    }

    @Test func aGroupedRuleOverSomeCategoriesGivesNoWeekBound() {
        let bySite = Rule(name: "per-locatie", kind: .threshold(window: .week), match: [CategoryPattern("grooming")],
                          minCount: 5, groupBy: [.site], severity: .high)
        #expect(SummaryAlerts(week: week, log: [], rules: [bySite], cells: cells, zone: Self.zone, k: 5).silences.isEmpty)
    }

    /// A day rule's silence bounds each day; the week's row is at most the
    /// sum over its seven days: 7 × 4 when no day alerted, and a day that
    /// alerted at 5 and did not escalate adds 9 instead of 4.
    @Test func aDayRulesSilencesBoundTheWeekBySumOverItsDays() {
        let day = Rule(name: "dag", kind: .threshold(window: .day), match: [CategoryPattern("grooming")],
                       minCount: 5, groupBy: [], severity: .high)
        let quiet = SummaryAlerts(week: week, log: [], rules: [day], cells: cells, zone: Self.zone, k: 5).silences
        #expect(quiet.map(\.atMost) == [28])
        #expect(quiet.first?.cells == [CellID(table: "category", row: "grooming")])
        let tuesday = Window.containing(week.start + 86_400 + 3_600, kind: .day, in: Self.zone)
        let log = [AlertKey(rule: day.name, windowStart: tuesday.start, group: .wholeSchool, band: 5)]
        #expect(SummaryAlerts(week: week, log: log, rules: [day], cells: cells, zone: Self.zone, k: 5).silences.map(\.atMost) == [33])
    }

    /// The week that clocks go back has seven days too (one of 25 hours).
    @Test func aWeekWithAClockChangeHasSevenDays() {
        let day = Rule(name: "dag", kind: .threshold(window: .day), match: [CategoryPattern("grooming")],
                       minCount: 5, groupBy: [], severity: .high)
        let october = Window.week(label: "2026-W43", in: Self.zone)!
        #expect(SummaryAlerts(week: october, log: [], rules: [day], cells: cells, zone: Self.zone, k: 5).silences.map(\.atMost) == [28])
    }
}
