import Foundation
import Testing
import VertrouwdCore

/// k counts pupils, not signals (issue 13): the engine, the live counts
/// and the summary cells count distinct `PupilID`s.
@Suite("Pupil counting")
struct PupilCountingTests {
    /// Sunday 2026-11-29 10:00 local.
    let morning = Clock.local(2026, 11, 29, 10)

    func bucket(_ hour: Int64, _ category: String, pupils: [PupilID], site: String = "hoofdgebouw",
                channel: String = "instagram") -> BucketCount {
        BucketCount(hour: hour, category: category, site: site, cohort: "klas-4", channel: channel, severity: .high, pupils: pupils)
    }

    /// A bucket holds its pupils sorted, each once, whatever order and
    /// repeats it was given (the store's signed order among them).
    @Test func aBucketsPupilsAreSortedAndDistinct() {
        let high: PupilID = 1 << 63 | 5
        #expect(bucket(0, "grooming", pupils: [7, 3, high, 3, 7, 7, 1, high]).pupils == [1, 3, 7, high])
        #expect(bucket(0, "grooming", pupils: [high, high + 1, 2, 9]).pupils == [2, 9, high, high + 1])
        #expect(bucket(0, "grooming", pupils: [4]).pupils == [4])
        #expect(bucket(0, "grooming", pupils: []).pupils.isEmpty)
        #expect(bucket(0, "grooming", pupils: [6, 6, 6]).count == 1)
    }

    @Test func onePupilWithTenSignalsMakesNoAlert() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        // Ten signals over five hours and both sextortion categories, all
        // from pupil 42.
        let hour = morning / 3_600
        let buckets = (0..<10).map { i in
            bucket(hour - Int64(i % 5), i % 2 == 0 ? "sextortion.threat" : "sextortion.payment", pupils: [42])
        }
        #expect(engine.evaluate(now: morning, log: [], buckets: { _ in buckets }).isEmpty)
    }

    @Test func fivePupilsMakeAnAlertAndRepeatsAddNothing() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        let hour = morning / 3_600
        var buckets = [bucket(hour, "sextortion.threat", pupils: [1, 2, 3]),
                       bucket(hour - 1, "sextortion.payment", pupils: [3, 4])]
        #expect(engine.evaluate(now: morning, log: [], buckets: { _ in buckets }).isEmpty, "four pupils")
        buckets.append(bucket(hour - 2, "sextortion.threat", pupils: [1, 2, 3, 4]))
        #expect(engine.evaluate(now: morning, log: [], buckets: { _ in buckets }).isEmpty, "still four")
        buckets.append(bucket(hour - 2, "sextortion.payment", pupils: [5]))
        let decisions = engine.evaluate(now: morning, log: [], buckets: { _ in buckets })
        #expect(decisions.map(\.atLeast) == [5])
    }

    @Test func liveCountsAddAPupilOnce() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        var live = LiveCounts(engine: engine)
        let hour = morning / 3_600
        #expect(live.load(buckets: [bucket(hour, "sextortion.threat", pupils: [1, 2, 3, 4])], log: [], now: morning).isEmpty)
        // Pupil 4 again, in another hour and category: still four.
        live.add([bucket(hour - 1, "sextortion.payment", pupils: [4])])
        #expect(live.evaluateChanges(now: morning).isEmpty)
        live.recorded([])
        live.add([bucket(hour - 1, "sextortion.payment", pupils: [4, 9])])
        #expect(live.evaluateChanges(now: morning).map(\.atLeast) == [5])
    }

    @Test func summaryTablesCountEachPupilOnceInItsFirstRow() throws {
        let cells = SummaryCells(taxonomy: Fixture.taxonomy)
        let hour = morning / 3_600
        let counts = cells.counts([
            bucket(hour, "grooming", pupils: [1, 2]),
            bucket(hour, "sextortion.payment", pupils: [2, 3], site: "dependance"),
            bucket(hour - 5, "sextortion.payment", pupils: [3]),
        ])
        let category = try #require(counts["category"])
        let shown = Dictionary(uniqueKeysWithValues: category.map { ($0.key, $0.count) })
        #expect(shown["grooming"] == 2)
        #expect(shown["sextortion.payment"] == 1, "pupil 2 counts under grooming, the first row it reaches")
        // Every table partitions the same three pupils.
        for (name, rows) in counts {
            #expect(rows.map(\.count).reduce(0, +) == 3, "\(name)")
        }
    }

    @Test func syntheticPupilsAreDistinctAndMeetNoOtherBucket() {
        let a = BucketCount(hour: 1, category: "grooming", count: 50)
        let b = BucketCount(hour: 1, category: "grooming", count: 50)
        #expect(Set(a.pupils).count == 50)
        #expect(Set(a.pupils).isDisjoint(with: b.pupils))
        let seeded = SyntheticPupils.ids(seed: 7, count: 3)
        #expect(seeded == SyntheticPupils.ids(seed: 7, count: 3))
        #expect(Set(seeded).isDisjoint(with: SyntheticPupils.ids(seed: 8, count: 3)))
    }

    @Test func aWeekOrdinalCoversMondayToSundayLocalAcrossDST() {
        let zone = Clock.amsterdam
        // 2026-10-25 is the Sunday clocks go back; Monday 2026-10-19.
        let monday = Clock.local(2026, 10, 19, 0)
        let sunday = Clock.local(2026, 10, 25, 23)
        let next = Clock.local(2026, 10, 26, 0)
        let w = PupilWeek.ordinal(ofHour: monday / 3_600, in: zone)
        #expect(PupilWeek.ordinal(ofHour: sunday / 3_600, in: zone) == w)
        #expect(PupilWeek.ordinal(ofHour: next / 3_600, in: zone) == w + 1)
        #expect(PupilWeek.ordinal(ofHour: monday / 3_600 - 1, in: zone) == w - 1)
        #expect(PupilWeek.window(ordinal: w, in: zone).label == "2026-W43")
        #expect(PupilWeek.ordinal(containing: sunday, in: zone) == w)
    }

    @Test func weeksAreKeptWhileLateSignalsOrTheirSummaryMayStillCome() {
        let zone = Clock.amsterdam
        let now = Clock.local(2026, 12, 2, 12) // Wednesday of W49
        let current = PupilWeek.ordinal(containing: now, in: zone)
        let created = Clock.local(2026, 1, 5, 0)
        let w48 = PupilWeek.window(ordinal: current - 1, in: zone)
        let w47 = PupilWeek.window(ordinal: current - 2, in: zone)
        // W48 published, max_age 7 days: W48 ended Sunday night, less than
        // 7 days ago, so it is kept; W47 can go.
        #expect(PupilWeek.keptFrom(now: now, maxAge: 7 * 86_400, zone: zone, lastPublished: w48,
                                   catchUpWeeks: 4, createdAt: created) == current - 1)
        // W48 not published yet: kept, whatever max_age.
        #expect(PupilWeek.keptFrom(now: now, maxAge: 3_600, zone: zone, lastPublished: w47,
                                   catchUpWeeks: 4, createdAt: created) == current - 1)
        // Nothing published for long: weeks older than the catch-up limit go.
        let old = PupilWeek.window(ordinal: current - 20, in: zone)
        #expect(PupilWeek.keptFrom(now: now, maxAge: 3_600, zone: zone, lastPublished: old,
                                   catchUpWeeks: 4, createdAt: created) == current - 6)
        // A new store: weeks before it are never published, but a late
        // signal may still count in them.
        #expect(PupilWeek.keptFrom(now: now, maxAge: 30 * 86_400, zone: zone, lastPublished: nil,
                                   catchUpWeeks: 4, createdAt: now) == PupilWeek.ordinal(containing: now - 30 * 86_400, in: zone))
        #expect(PupilWeek.keptFrom(now: now, maxAge: 3_600, zone: zone, lastPublished: nil,
                                   catchUpWeeks: 4, createdAt: now) == current)
    }
}
