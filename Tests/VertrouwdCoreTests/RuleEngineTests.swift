import Foundation
import Testing
import VertrouwdCore

/// An in-memory bucket store for rule tests.
struct BucketStore {
    var buckets: [BucketCount] = []

    mutating func add(_ instant: Int64, _ category: String, site: String = "hoofdgebouw", cohort: String = "klas-4",
                      channel: String = "instagram", count: Int = 1) {
        buckets.append(BucketCount(hour: instant / 3_600, category: category, site: site, cohort: cohort,
                                   channel: channel, severity: .high, count: count))
    }

    func source(_ hours: Range<Int64>) -> [BucketCount] { buckets.filter { hours.contains($0.hour) } }
}

enum RuleFixture {
    static let acuut = Rule(name: "sextortion-acuut", kind: .threshold(window: .day), match: [CategoryPattern("sextortion.*")],
                            minCount: 5, groupBy: [.site, .channel], severity: .high)

    static func engine(_ rules: [Rule], maxAge: Interval = .days(7)) -> RuleEngine {
        RuleEngine(rules: rules, taxonomy: Fixture.taxonomy, minGroupSize: 5, zone: Clock.amsterdam, maxAge: maxAge)
    }
}

@Suite("Rule engine")
struct RuleEngineTests {
    /// Sunday 2026-11-29 10:00 local.
    let morning = Clock.local(2026, 11, 29, 10)

    /// Evaluates and feeds the decisions' keys back into the log, as the daemon does.
    func run(_ engine: RuleEngine, _ store: BucketStore, now: Int64, log: inout Set<AlertKey>) -> [AlertDecision] {
        let decisions = engine.evaluate(now: now, log: log, buckets: store.source)
        for d in decisions { log.formUnion(d.logKeys) }
        return decisions
    }

    @Test func thresholdFiresAtMinCountOnceThenAtEachBand() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        var store = BucketStore()
        var log: Set<AlertKey> = []
        store.add(morning - 3_600, "sextortion.payment", count: 4)
        #expect(run(engine, store, now: morning, log: &log).isEmpty)

        store.add(morning, "sextortion.threat")
        let first = run(engine, store, now: morning + 900, log: &log)
        #expect(first.count == 1)
        let d = try! #require(first.first)
        #expect(d.rule == "sextortion-acuut")
        #expect(d.window.label == "2026-11-29" && d.window.kind == .day)
        #expect(d.group == [.site: "hoofdgebouw", .channel: "instagram"])
        #expect(d.atLeast == 5 && !d.escalation && d.severity == .high)
        #expect(d.logKeys == [d.key])

        // Same count, later tick, log fed back: nothing new.
        #expect(run(engine, store, now: morning + 1_800, log: &log).isEmpty)
        store.add(morning, "sextortion.threat", count: 4)  // 9
        #expect(run(engine, store, now: morning + 2_700, log: &log).isEmpty)
        store.add(morning, "sextortion.threat")  // 10
        let second = run(engine, store, now: morning + 3_600, log: &log)
        #expect(second.map(\.atLeast) == [10])
        #expect(second.first?.escalation == true)
        store.add(morning, "sextortion.threat", count: 10)  // 20
        #expect(run(engine, store, now: morning + 4_500, log: &log).map(\.atLeast) == [20])
        #expect(run(engine, store, now: morning + 5_400, log: &log).isEmpty)
        // A fresh log (the key is not there) would announce again; the log is what stops it.
        #expect(engine.evaluate(now: morning + 5_400, log: [], buckets: store.source).map(\.atLeast) == [20])
    }

    @Test func aJumpOverSeveralBandsAnnouncesOnlyTheHighestAndLogsAll() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        var store = BucketStore()
        store.add(morning, "sextortion.payment", count: 23)
        let decisions = engine.evaluate(now: morning, log: [], buckets: store.source)
        #expect(decisions.count == 1)
        // The first alert of the group: not an escalation, whatever its band
        // (issue #13, finding 13: it used to say "doubled since the previous alert").
        #expect(decisions[0].atLeast == 20 && !decisions[0].escalation)
        #expect(decisions[0].logKeys.map(\.band) == [5, 10, 20])
        // With band 5 already announced, a jump to 20 is an escalation.
        let key5 = AlertKey(rule: decisions[0].rule, windowStart: decisions[0].window.start, group: decisions[0].group, band: 5)
        let later = engine.evaluate(now: morning, log: [key5], buckets: store.source)
        #expect(later.map(\.atLeast) == [20] && later.first?.escalation == true)
        #expect(later.first?.logKeys.map(\.band) == [10, 20])
    }

    @Test func groupsAreSeparateAndUnknownIsItsOwnGroup() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        var store = BucketStore()
        store.add(morning, "sextortion.payment", count: 3)
        store.add(morning, "sextortion.payment", site: "dependance", count: 3)
        store.add(morning, "sextortion.payment", site: "", channel: "", count: 5)
        let decisions = engine.evaluate(now: morning, log: [], buckets: store.source)
        #expect(decisions.map(\.group) == [[.site: .unknown, .channel: .unknown]])
    }

    @Test func cohortAndChannelGroups() {
        let rule = Rule(name: "groep", kind: .threshold(window: .day), match: [CategoryPattern("grooming")],
                        minCount: 5, groupBy: [.cohortGroup, .channelGroup], severity: .medium)
        let engine = RuleFixture.engine([rule])
        var store = BucketStore()
        store.add(morning, "grooming", cohort: "klas-4", channel: "instagram", count: 2)
        store.add(morning, "grooming", cohort: "klas-5", channel: "snapchat", count: 2)
        store.add(morning, "grooming", cohort: "klas-6", channel: "tiktok", count: 1)
        store.add(morning, "grooming", cohort: "klas-1", channel: "instagram", count: 4)  // onderbouw
        store.add(morning, "grooming", cohort: "klas-5", channel: "whatsapp", count: 4)   // messaging
        let decisions = engine.evaluate(now: morning, log: [], buckets: store.source)
        #expect(decisions.map(\.group) == [[.cohortGroup: "bovenbouw", .channelGroup: "social"]])
        #expect(decisions.first?.severity == .medium)
    }

    @Test func wildcardAndExactMatch() {
        let exact = Rule(name: "exact", kind: .threshold(window: .day), match: [CategoryPattern("image.shared")],
                         minCount: 5, groupBy: [], severity: .high)
        let engine = RuleFixture.engine([RuleFixture.acuut, exact])
        var store = BucketStore()
        store.add(morning, "sextortion.payment", count: 2)
        store.add(morning, "sextortion.threat", count: 3)
        store.add(morning, "grooming", count: 9)
        store.add(morning, "image.shared", count: 4)
        store.add(morning, "image.request", count: 4)
        let decisions = engine.evaluate(now: morning, log: [], buckets: store.source)
        #expect(decisions.map(\.rule) == ["sextortion-acuut"])
        #expect(decisions.first?.group == [.site: "hoofdgebouw", .channel: "instagram"])
    }

    @Test func lateSignalsCountInTheirOwnWindow() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        var store = BucketStore()
        var log: Set<AlertKey> = []
        store.add(morning, "sextortion.payment", count: 4)  // Sunday
        let monday = Clock.local(2026, 11, 30, 9)
        #expect(run(engine, store, now: monday, log: &log).isEmpty)
        // A late Sunday signal arrives on Monday: Sunday's window reaches 5.
        store.add(morning + 3_600, "sextortion.payment")
        store.add(monday, "sextortion.payment", count: 4)  // Monday has 4: no alert
        let decisions = run(engine, store, now: monday + 900, log: &log)
        #expect(decisions.map(\.window.label) == ["2026-11-29"])
        // Once the window is older than max_age it is no longer evaluated.
        let short = RuleFixture.engine([RuleFixture.acuut], maxAge: .hours(1))
        #expect(short.evaluate(now: monday + 900, log: [], buckets: store.source).isEmpty)
        #expect(short.windows(for: RuleFixture.acuut, now: monday).map(\.label) == ["2026-11-30"])
        #expect(engine.windows(for: RuleFixture.acuut, now: monday).map(\.label)
            == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"])
    }

    @Test func weekWindowRule() {
        let rule = Rule(name: "week", kind: .threshold(window: .week), match: [CategoryPattern("grooming")],
                        minCount: 5, groupBy: [.site], severity: .medium)
        let engine = RuleFixture.engine([rule])
        var store = BucketStore()
        for day in 23...27 { store.add(Clock.local(2026, 11, day, 12), "grooming") }
        store.add(Clock.local(2026, 11, 30, 12), "grooming", count: 4)  // next week
        let decisions = engine.evaluate(now: morning, log: [], buckets: store.source)
        #expect(decisions.map(\.window.label) == ["2026-W48"])
        #expect(decisions.first?.atLeast == 5)
        #expect(decisions.first?.window.start == Clock.local(2026, 11, 23))
    }

    @Test func ruleBelowKIsRaisedToK() {
        let low = Rule(name: "low", kind: .threshold(window: .day), match: [CategoryPattern("grooming")],
                       minCount: 2, groupBy: [], severity: .low)
        let engine = RuleFixture.engine([low])
        var store = BucketStore()
        store.add(morning, "grooming", count: 4)
        #expect(engine.evaluate(now: morning, log: [], buckets: store.source).isEmpty)
        store.add(morning, "grooming", count: 3)
        let decisions = engine.evaluate(now: morning, log: [], buckets: store.source)
        #expect(decisions.map(\.atLeast) == [5])
        #expect(decisions.first?.escalation == false)
    }

    /// Rise rules are decided when a week's summary is published, from
    /// published values only (`PublishedRise`, issue 13 finding 3): the
    /// engine decides none and reads no buckets for them.
    @Test func riseRulesAreNotDecidedFromCounts() {
        let rule = Rule(name: "stijging", kind: .rise(baselineWeeks: 1, factor: 2), match: [CategoryPattern("grooming")],
                        minCount: 5, groupBy: [], severity: .medium, minBaselineWeeks: 1)
        let engine = RuleFixture.engine([rule])
        var store = BucketStore()
        let w48 = Window.week(label: "2026-W48", in: Clock.amsterdam)!
        store.add(w48.start + 50 * 3_600, "grooming", count: 40)
        #expect(engine.evaluate(now: w48.end + 900, log: [], buckets: store.source).isEmpty)
        #expect(engine.windows(for: rule, now: w48.end + 900).isEmpty)
        #expect(engine.hoursNeeded(now: w48.end + 900) == nil)
    }

    @Test func decisionsCarryOnlyBands() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        for count in [5, 7, 9, 13, 19, 37, 80, 81] {
            var store = BucketStore()
            store.add(morning, "sextortion.payment", count: count)
            for d in engine.evaluate(now: morning, log: [], buckets: store.source) {
                #expect([5, 10, 20, 40, 80].contains(d.atLeast))
                #expect(d.atLeast <= count && count < 2 * d.atLeast)
                #expect(!String(describing: d).contains("sextortion.payment"))
            }
        }
    }
}

@Suite("Alert groups")
struct AlertGroupTests {
    @Test func groupValues() {
        let taxonomy = Taxonomy(
            categories: Vocabulary(["grooming"]), sites: Vocabulary(["a"]),
            cohorts: Vocabulary(grouped: [("klas-1", "onderbouw")]), channels: Vocabulary(["instagram"]))
        let b = BucketCount(hour: 0, category: "grooming", site: "", cohort: "klas-1", channel: "instagram", count: 1)
        #expect(AlertGroup.key(of: b, by: [.site, .cohortGroup, .channelGroup, .category], taxonomy: taxonomy)
            == [.site: .unknown, .cohortGroup: "onderbouw", .channelGroup: "instagram", .category: "grooming"])
        #expect(AlertGroup.key(of: b, by: [], taxonomy: taxonomy) == .wholeSchool)
        #expect(!Vocabulary.isWellFormed(GroupKey.Value.unknownText))
        var unknownCohort = b
        unknownCohort.cohort = ""
        #expect(AlertGroup.value(of: unknownCohort, .cohortGroup, taxonomy: taxonomy) == .unknown)
    }
}
