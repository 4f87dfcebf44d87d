import Foundation
import Testing
import VertrouwdCore

/// Rise rules judge a week against school weeks with data only: holiday
/// weeks are skipped and too little history claims no rise (issue 15 §2).
@Suite("Rise baseline")
struct RiseBaselineTests {
    let zone = Clock.amsterdam

    func rule(baseline: Int = 4, minWeeks: Int = Rule.defaultMinBaselineWeeks) -> Rule {
        Rule(name: "stijging", kind: .rise(baselineWeeks: baseline, factor: 2), match: [CategoryPattern("grooming")],
             minCount: 5, groupBy: [.site], severity: .medium, minBaselineWeeks: minWeeks)
    }

    func week(_ label: String) -> Window { Window.week(label: label, in: zone)! }

    /// The decisions when `judged` has just closed, with `perWeek[label]`
    /// grooming signals in each earlier week.
    func decide(_ rule: Rule, calendar: SchoolCalendar = SchoolCalendar(), judged: String, count: Int,
                perWeek: [String: Int]) -> [AlertDecision] {
        let engine = RuleEngine(rules: [rule], taxonomy: Fixture.taxonomy, minGroupSize: 5, zone: zone,
                                maxAge: .days(7), calendar: calendar)
        var store = BucketStore()
        for (label, n) in perWeek where n > 0 { store.add(week(label).start + 7_200, "grooming", count: n) }
        store.add(week(judged).start + 50 * 3_600, "grooming", count: count)
        return engine.evaluate(now: week(judged).end + 900, log: [], buckets: store.source)
    }

    /// A new install: no history, so even a large week is no "rise".
    @Test func noHistoryClaimsNoRise() {
        #expect(decide(rule(), judged: "2026-W48", count: 40, perWeek: [:]).isEmpty)
        // One week of data is enough when min_baseline_weeks = 1.
        #expect(decide(rule(minWeeks: 1), judged: "2026-W48", count: 5, perWeek: ["2026-W47": 2]).count == 1)
    }

    @Test func aRiseNeedsMinBaselineWeeksWithData() {
        let two = ["2026-W46": 2, "2026-W47": 2]
        #expect(decide(rule(), judged: "2026-W48", count: 5, perWeek: two).isEmpty)
        var three = two
        three["2026-W44"] = 2
        let decisions = decide(rule(), judged: "2026-W48", count: 5, perWeek: three)
        #expect(decisions.map(\.window.label) == ["2026-W48"])
        #expect(decisions.first?.atLeast == 5)
    }

    /// The mean is over the weeks with data: weeks of silence (an outage,
    /// the weeks before the install) do not pull it down.
    @Test func theMeanIsOverWeeksWithData() {
        let history = ["2026-W44": 10, "2026-W45": 10, "2026-W46": 10]
        // Mean 10: 15 is no doubling (a mean over four weeks, 7.5, would say it is).
        #expect(decide(rule(), judged: "2026-W48", count: 15, perWeek: history).isEmpty)
        #expect(decide(rule(), judged: "2026-W48", count: 20, perWeek: history).count == 1)
    }

    /// The first week after the summer holiday is compared with the weeks
    /// before it, not with the quiet holiday weeks.
    @Test func holidayWeeksAreLeftOutOfTheBaseline() {
        // Midden 2026: zomervakantie 18 July – 30 August (W30–W35); W36 is the first school week.
        var history: [String: Int] = [:]
        for w in 26...29 { history["2026-W\(w)"] = 4 }
        for w in 30...35 { history["2026-W\(w)"] = 1 }
        let midden = SchoolCalendar(region: .midden)
        // Without a calendar the holiday's 1 a week is the baseline: a false doubling.
        #expect(decide(rule(), judged: "2026-W36", count: 6, perWeek: history).count == 1)
        // With it, the four school weeks before the holiday (4 a week): no rise.
        #expect(decide(rule(), calendar: midden, judged: "2026-W36", count: 6, perWeek: history).isEmpty)
        #expect(decide(rule(), calendar: midden, judged: "2026-W36", count: 8, perWeek: history).count == 1)
    }

    /// The hours an evaluation reads reach back past the skipped holiday
    /// weeks, and no further than the reach allows.
    @Test func hoursNeededCoverTheSkippedWeeks() {
        let midden = SchoolCalendar(region: .midden)
        let engine = RuleEngine(rules: [rule()], taxonomy: Fixture.taxonomy, minGroupSize: 5, zone: zone,
                                maxAge: .hours(1), calendar: midden)
        let hours = engine.hoursNeeded(now: week("2026-W36").end + 900)
        #expect(hours?.lowerBound == week("2026-W26").hours.lowerBound)
        #expect(hours?.upperBound == week("2026-W36").hours.upperBound)
        // Thirteen holiday weeks (W27–W39) are skipped: the baseline is W23–W26.
        func closed(from first: LocalDate) -> RuleEngine {
            let calendar = SchoolCalendar(daysOff: [DayRange(first, LocalDate(2026, 8, 9)),
                                                    DayRange(LocalDate(2026, 8, 10), LocalDate(2026, 9, 27))])
            return RuleEngine(rules: [rule()], taxonomy: Fixture.taxonomy, minGroupSize: 5, zone: zone,
                              maxAge: .hours(1), calendar: calendar)
        }
        let now = week("2026-W40").end + 900
        #expect(closed(from: LocalDate(2026, 6, 29)).hoursNeeded(now: now)?.lowerBound == week("2026-W23").hours.lowerBound)
        // Fourteen (W26–W39) reach too far: no baseline at all, and no rise.
        #expect(closed(from: LocalDate(2026, 6, 22)).hoursNeeded(now: now)?.lowerBound == week("2026-W40").hours.lowerBound)
    }

    /// A rule of a config: the decoder's default for min_baseline_weeks.
    @Test func defaultMinimumIsThreeOrTheBaseline() {
        #expect(Rule.defaultMinBaselineWeeks == 3)
        // A two-week baseline: two weeks with data are enough.
        let short = rule(baseline: 2)
        #expect(decide(short, judged: "2026-W48", count: 5, perWeek: ["2026-W46": 2, "2026-W47": 2]).count == 1)
    }
}
