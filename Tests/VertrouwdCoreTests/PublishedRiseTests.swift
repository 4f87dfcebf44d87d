import Foundation
import Testing
import VertrouwdCore

/// Rise rules decided from published summaries only (issue 13, finding 3):
/// this week's tables as published, the baseline weeks as their frozen
/// summaries showed them. Holiday weeks are skipped and too little history
/// claims no rise (issue 15 §2).
@Suite("Published rise")
struct PublishedRiseTests {
    let zone = Clock.amsterdam
    let cells = SummaryCells(taxonomy: Fixture.taxonomy)
    let policy = PrivacyPolicy()  // k = 5, round_to = 5

    func rule(baseline: Int = 4, minWeeks: Int = Rule.defaultMinBaselineWeeks, factor: Double = 2,
              match: [String] = ["grooming"], groupBy: [VertrouwdCore.Dimension] = []) -> Rule {
        Rule(name: "stijging", kind: .rise(baselineWeeks: baseline, factor: factor), match: match.map(CategoryPattern.init),
             minCount: 5, groupBy: groupBy, severity: .medium, minBaselineWeeks: minWeeks)
    }

    func week(_ label: String) -> Window { Window.week(label: label, in: zone)! }

    /// A published category table: the given rows as shown, every other
    /// row "<5", and `total` as shown.
    func tables(_ shown: [String: String], total: String = "x") -> [SummaryContent.Table] {
        [SummaryContent.Table(name: "category",
                              rows: Fixture.categories.map { .init(key: $0, value: shown[$0] ?? "<5") }, total: total)]
    }

    func byName(_ t: [SummaryContent.Table]) -> PublishedRise.Week { .some(Dictionary(uniqueKeysWithValues: t.map { ($0.name, $0) })) }

    /// The decisions for `judged`, its grooming row shown as `now`, the
    /// weeks of `earlier` (label → shown grooming row) published, every
    /// other week without a summary.
    func decide(_ rule: Rule, calendar: SchoolCalendar = SchoolCalendar(), judged: String, now: String,
                earlier: [String: String]) -> [AlertDecision] {
        let engine = RuleEngine(rules: [rule], taxonomy: Fixture.taxonomy, minGroupSize: 5, zone: zone,
                                maxAge: .days(7), calendar: calendar)
        guard case .rise(let n, _) = rule.kind else { return [] }
        let baseline = engine.weeks(before: week(judged), count: n).map { w -> PublishedRise.Week in
            earlier[w.label].map { byName(tables(["grooming": $0])) } ?? nil
        }
        return PublishedRise.decisions(rule, week: week(judged), thisWeek: tables(["grooming": now]), baseline: baseline,
                                       cells: cells, policy: policy)
    }

    /// Finding 3 of issue 13: a rise rule, baseline one week, factor 2.5;
    /// the earlier week showed "<5", this week "10". On true counts the
    /// silence said the earlier week held more than 10 / 2.5: exactly 4.
    /// From published values it says what they say: "10" is at least 8,
    /// "<5" at most 4, and 8 < 2.5 × 4, so no rise — whatever the counts.
    @Test func findingThreeSilenceSaysNothingNew() {
        let r = rule(baseline: 1, minWeeks: 1, factor: 2.5, match: Fixture.categories)
        let before = byName(tables([:], total: "<5"))
        let silent = PublishedRise.decisions(r, week: week("2026-W48"), thisWeek: tables([:], total: "10"),
                                             baseline: [before], cells: cells, policy: policy)
        #expect(silent.isEmpty)
        // "15" is at least 13 ≥ 2.5 × 4: a rise, at least the band 13 crosses.
        let fires = PublishedRise.decisions(r, week: week("2026-W48"), thisWeek: tables([:], total: "15"),
                                            baseline: [before], cells: cells, policy: policy)
        #expect(fires.map(\.atLeast) == [10])
        #expect(fires.first?.group == .wholeSchool && fires.first?.logKeys.map(\.band) == [5])
    }

    /// A new install: no published history, so even a large week is no rise.
    @Test func noHistoryClaimsNoRise() {
        #expect(decide(rule(), judged: "2026-W48", now: "40", earlier: [:]).isEmpty)
        // One published week is enough when min_baseline_weeks = 1.
        #expect(decide(rule(minWeeks: 1), judged: "2026-W48", now: "10", earlier: ["2026-W47": "<5"]).count == 1)
    }

    @Test func aRiseNeedsMinBaselineWeeksWithASummary() {
        let two = ["2026-W46": "<5", "2026-W47": "<5"]
        #expect(decide(rule(), judged: "2026-W48", now: "10", earlier: two).isEmpty)
        var three = two
        three["2026-W44"] = "<5"
        let decisions = decide(rule(), judged: "2026-W48", now: "10", earlier: three)
        #expect(decisions.map(\.window.label) == ["2026-W48"])
        #expect(decisions.first?.atLeast == 5)
        // A week that showed "x" says nothing of the row: it is no data.
        three["2026-W44"] = "x"
        #expect(decide(rule(), judged: "2026-W48", now: "10", earlier: three).isEmpty)
    }

    /// The mean is over the most each published week allows: "10" with
    /// round_to 5 is at most 12.
    @Test func theMeanIsOverTheMostEachWeekAllows() {
        let history = ["2026-W44": "10", "2026-W45": "10", "2026-W46": "10"]
        // At least 18 ("20") against 2 × 12: no rise; at least 28 ("30"): a rise.
        #expect(decide(rule(), judged: "2026-W48", now: "20", earlier: history).isEmpty)
        #expect(decide(rule(), judged: "2026-W48", now: "30", earlier: history).count == 1)
        // "<5" this week is at least 0: never a rise.
        #expect(decide(rule(), judged: "2026-W48", now: "<5", earlier: ["2026-W44": "<5", "2026-W45": "<5", "2026-W46": "<5"]).isEmpty)
    }

    /// The first week after the summer holiday is compared with the weeks
    /// before it, not with the quiet holiday weeks.
    @Test func holidayWeeksAreLeftOutOfTheBaseline() {
        // Midden 2026: zomervakantie 18 July – 30 August (W30–W35); W36 is the first school week.
        var history: [String: String] = [:]
        for w in 26...29 { history["2026-W\(w)"] = "10" }
        for w in 30...35 { history["2026-W\(w)"] = "<5" }
        let midden = SchoolCalendar(region: .midden)
        // Without a calendar the holiday's "<5" is the baseline: at least 8 ("10") is twice 4.
        #expect(decide(rule(), judged: "2026-W36", now: "10", earlier: history).count == 1)
        // With it, the four school weeks before the holiday ("10" a week): no rise.
        #expect(decide(rule(), calendar: midden, judged: "2026-W36", now: "10", earlier: history).isEmpty)
        #expect(decide(rule(), calendar: midden, judged: "2026-W36", now: "30", earlier: history).count == 1)
    }

    /// A baseline reaches back past holiday weeks, and no further than the reach allows.
    @Test func theBaselineSkipsHolidayWeeks() {
        func closed(from first: LocalDate) -> RuleEngine {
            let calendar = SchoolCalendar(daysOff: [DayRange(first, LocalDate(2026, 8, 9)),
                                                    DayRange(LocalDate(2026, 8, 10), LocalDate(2026, 9, 27))])
            return RuleEngine(rules: [rule()], taxonomy: Fixture.taxonomy, minGroupSize: 5, zone: zone,
                              maxAge: .hours(1), calendar: calendar)
        }
        // Thirteen holiday weeks (W27–W39) are skipped: the baseline is W23–W26.
        #expect(closed(from: LocalDate(2026, 6, 29)).weeks(before: week("2026-W40"), count: 4).map(\.label)
            == ["2026-W23", "2026-W24", "2026-W25", "2026-W26"])
        // Fourteen (W26–W39) reach too far: no baseline at all, and no rise.
        #expect(closed(from: LocalDate(2026, 6, 22)).weeks(before: week("2026-W40"), count: 4).isEmpty)
    }

    @Test func defaultMinimumIsThreeOrTheBaseline() {
        #expect(Rule.defaultMinBaselineWeeks == 3)
        let short = rule(baseline: 2, minWeeks: 2)
        #expect(decide(short, judged: "2026-W48", now: "10", earlier: ["2026-W46": "<5", "2026-W47": "<5"]).count == 1)
    }

    /// Where a rule's count stands in the tables, and which rules have none.
    @Test func placement() {
        #expect(PublishedRise.placement(of: rule(match: Fixture.categories), cells: cells)?.usesTotal == true)
        #expect(PublishedRise.placement(of: rule(match: ["sextortion.*"]), cells: cells)?.rows == ["sextortion.threat", "sextortion.payment"])
        #expect(PublishedRise.placement(of: rule(match: ["*"], groupBy: [.site]), cells: cells)?.table == "site")
        #expect(PublishedRise.placement(of: rule(match: ["sextortion.*"], groupBy: [.category]), cells: cells)?.dimension == .category)
        #expect(PublishedRise.whyNotPlaceable(rule(match: ["grooming"], groupBy: [.site]), cells: cells)?.message.contains("only when it matches every category") == true)
        #expect(PublishedRise.whyNotPlaceable(rule(match: ["*"], groupBy: [.channel]), cells: cells)?.message.contains("no \"channel\" table") == true)
        #expect(PublishedRise.whyNotPlaceable(rule(match: ["*"], groupBy: [.site, .cohortGroup]), cells: cells) != nil)
    }

    /// Per group: a rule by site reads each site row; "x" this week is at least 0.
    @Test func groupsAreTableRows() {
        let r = rule(baseline: 1, minWeeks: 1, match: ["*"], groupBy: [.site])
        func site(_ a: String, _ b: String, _ unknown: String) -> [SummaryContent.Table] {
            [SummaryContent.Table(name: "site", rows: [.init(key: "hoofdgebouw", value: a), .init(key: "dependance", value: b),
                                                      .init(key: "", value: unknown)], total: "x")]
        }
        let decisions = PublishedRise.decisions(r, week: week("2026-W48"), thisWeek: site("20", "x", "10"),
                                                baseline: [byName(site("<5", "<5", "<5"))], cells: cells, policy: policy)
        #expect(decisions.map(\.group) == [GroupKey([.init(.site, .unknown)]), GroupKey([.init(.site, .known("hoofdgebouw"))])])
        #expect(decisions.map(\.atLeast) == [5, 10])
    }

    /// What a shown text says.
    @Test func intervals() {
        #expect(PublishedRise.interval(of: "<5", policy: policy) == 0...4)
        #expect(PublishedRise.interval(of: "10", policy: policy) == 8...12)
        #expect(PublishedRise.interval(of: "5", policy: policy) == 5...7)
        #expect(PublishedRise.interval(of: "x", policy: policy) == nil)
        #expect(PublishedRise.interval(of: "11", policy: policy) == nil)
    }
}
