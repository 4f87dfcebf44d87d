import Foundation
import PropertyBased
import Testing
import VertrouwdCore

/// `LiveCounts` (the daemon's incremental evaluation) against the full
/// evaluation it stands in for.
@Suite("Incremental evaluation")
struct LiveCountsTests {
    static let rules = RuleEnginePropertyTests.rules + [
        Rule(name: "site-channel-group", kind: .threshold(window: .week), match: [CategoryPattern("*")],
             minCount: 5, groupBy: [.site, .channelGroup], severity: .medium),
        Rule(name: "rise-all", kind: .rise(baselineWeeks: 1, factor: 2), match: [CategoryPattern("*")],
             minCount: 5, groupBy: [], severity: .low),
    ]

    /// The property: over random ingest streams (late signals, day and week
    /// changes, DST), with passes skipped at random (evaluate_every > 0)
    /// and failed at random (a store error: the next pass is full), the
    /// incremental path decides exactly what a full evaluation decides,
    /// in the same order, at every pass.
    @Test func decidesWhatAFullEvaluationDecides() async {
        let engine = RuleEngine(rules: Self.rules, taxonomy: Fixture.taxonomy, minGroupSize: 5,
                                zone: Clock.amsterdam, maxAge: WindowGen.maxAge)
        var decided = 0
        var incremental = 0
        await propertyCheck(count: 300, input: zip(WindowGen.stream, Gen.int(in: 0...Int(Int32.max)))) { stream, seed in
            var rng = SplitMix(seed: UInt64(seed))
            var store = BucketStore()
            var fullLog: Set<AlertKey> = []
            var storedLog: Set<AlertKey> = []
            var live = LiveCounts(engine: engine)
            var now = WindowGen.start
            for step in stream.steps {
                now += step.advance
                store.buckets += step.buckets
                live.add(step.buckets)
                if rng.chance(0.25) { continue } // no pass this time: changes pile up
                let expected = engine.evaluate(now: now, log: fullLog, buckets: store.source)
                let got: [AlertDecision]
                if live.needsFullPass(now: now) {
                    got = live.load(buckets: engine.hoursNeeded(now: now).map(store.source) ?? [], log: storedLog, now: now)
                } else {
                    got = live.evaluateChanges(now: now)
                    incremental += 1
                }
                #expect(got == expected, "at \(now):\n got \(got)\n expected \(expected)\n\(stream)")
                for d in expected { fullLog.formUnion(d.logKeys) }
                if rng.chance(0.1) {
                    live.invalidate() // the record failed: nothing reached the store's log
                    fullLog = storedLog
                    continue
                }
                storedLog.formUnion(got.flatMap(\.logKeys))
                live.recorded(got)
                decided += got.count
            }
        }
        // Not vacuous: alerts were decided, and most passes were incremental.
        #expect(decided > 300)
        #expect(incremental > 1_000)
    }

    @Test func aPassWithoutChangesReadsNothingAndDecidesNothing() {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        var live = LiveCounts(engine: engine)
        let now = Clock.local(2026, 11, 25, 10)
        #expect(live.needsFullPass(now: now))
        var store = BucketStore()
        for _ in 0..<4 { store.add(now - 60, "sextortion.threat") }
        #expect(live.load(buckets: store.buckets, log: [], now: now).isEmpty)
        #expect(!live.needsFullPass(now: now + 600))
        #expect(live.evaluateChanges(now: now + 600).isEmpty)
        // The fifth signal makes the alert; only that group is looked at.
        live.add([BucketCount(hour: now / 3_600, category: "sextortion.threat", site: "hoofdgebouw", cohort: "klas-4",
                              channel: "instagram", severity: .high, count: 1)])
        let decisions = live.evaluateChanges(now: now + 600)
        #expect(decisions.map(\.atLeast) == [5])
        live.recorded(decisions)
        #expect(live.evaluateChanges(now: now + 600).isEmpty)
        // The next day moves the windows: a full pass is due.
        #expect(live.needsFullPass(now: now + 86_400))
    }
}

/// A small deterministic generator for the test's own choices.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
