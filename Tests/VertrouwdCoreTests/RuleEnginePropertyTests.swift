import Foundation
import PropertyBased
import Testing
import VertrouwdCore

/// A random stream of ingest batches: each step advances the clock and adds
/// buckets, some of them late (within max_age).
struct BucketStream: Sendable, CustomStringConvertible {
    var steps: [(advance: Int64, buckets: [BucketCount])]
    var description: String { steps.map { "+\($0.advance)s \($0.buckets.map { "\($0.hour):\($0.category)/\($0.site)/\($0.cohort)/\($0.channel)×\($0.count)" })" }.joined(separator: "\n") }
}

enum WindowGen {
    static let zones = [
        "Europe/Amsterdam", "UTC", "Asia/Kolkata", "America/New_York", "Australia/Lord_Howe",
        "Pacific/Chatham", "America/Sao_Paulo", "Asia/Tehran", "America/St_Johns",
    ].map { TimeZone(identifier: $0)! }

    static let maxAge = Interval.days(2)
    /// 2026-03-20T00:00Z: the streams cross the spring DST change.
    static let start: Int64 = 1_773_964_800

    static let stream = Generator<BucketStream, Shrink.None<BucketStream>>(run: { rng in
        let categories = ["sextortion.payment", "sextortion.threat", "grooming", "image.shared"]
        let sites = ["hoofdgebouw", "dependance", ""]
        let cohorts = ["klas-1", "klas-4", "klas-5", ""]
        let channels = ["instagram", "whatsapp", ""]
        var now = start
        var steps: [(Int64, [BucketCount])] = []
        for _ in 0..<Int.random(in: 1...40, using: &rng) {
            let advance = Int64.random(in: 0...(8 * 3_600), using: &rng)
            now += advance
            let buckets = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                let late = rng.chance(0.3) ? Int64.random(in: 0...maxAge.seconds, using: &rng) : 0
                return BucketCount(
                    hour: (now - late) / 3_600, category: rng.pick(categories), site: rng.pick(sites),
                    cohort: rng.pick(cohorts), channel: rng.pick(channels), severity: .high,
                    count: Int.random(in: 1...6, using: &rng))
            }
            steps.append((advance, buckets))
        }
        return BucketStream(steps: steps)
    })
}

@Suite("Rule engine and window properties")
struct RuleEnginePropertyTests {
    static let rules = [
        RuleFixture.acuut,
        Rule(name: "week-cohort", kind: .threshold(window: .week), match: [CategoryPattern("grooming"), CategoryPattern("image.*")],
             minCount: 6, groupBy: [.cohortGroup], severity: .medium),
        Rule(name: "all-day", kind: .threshold(window: .day), match: [CategoryPattern("*")],
             minCount: 2, groupBy: [], severity: .low),
        Rule(name: "rise", kind: .rise(baselineWeeks: 2, factor: 1.5), match: [CategoryPattern("sextortion.*")],
             minCount: 5, groupBy: [.channel], severity: .high),
    ]

    /// Evaluated after every batch with the log fed back, as the daemon does:
    /// every (rule, window, group, band) is logged at most once; a threshold
    /// group ends with exactly the bands its final count crossed; each
    /// announcement is the highest band reached; every band is ≥ k.
    @Test func eachBandIsDecidedOnceAndAllCrossedBandsAreLogged() async {
        let zone = Clock.amsterdam
        let k = 5
        let engine = RuleEngine(rules: Self.rules, taxonomy: Fixture.taxonomy, minGroupSize: k, zone: zone, maxAge: WindowGen.maxAge)
        var total = 0
        await propertyCheck(count: 150, input: WindowGen.stream) { stream in
            var store = BucketStore()
            var log: Set<AlertKey> = []
            var announced: [AlertKey] = []
            var now = WindowGen.start
            for step in stream.steps {
                now += step.advance
                store.buckets += step.buckets
                for d in engine.evaluate(now: now, log: log, buckets: store.source) {
                    #expect(d.atLeast >= k)
                    #expect(d.logKeys.allSatisfy { !log.contains($0) }, "logged twice: \(d)")
                    #expect(d.logKeys.last == d.key)
                    announced.append(d.key)
                    total += 1
                    log.formUnion(d.logKeys)
                }
            }
            #expect(Set(announced).count == announced.count)
            // Oracle: final counts per threshold rule, window and group.
            for rule in Self.rules {
                guard case .threshold(let kind) = rule.kind else { continue }
                var counts: [AlertKeyPrefix: Int] = [:]
                for b in store.buckets where rule.matches(category: b.category) {
                    let window = Window.containing(hour: b.hour, kind: kind, in: zone)
                    counts[AlertKeyPrefix(windowStart: window.start, group: AlertGroup.key(of: b, by: rule.groupBy, taxonomy: Fixture.taxonomy)), default: 0] += b.count
                }
                let base = max(rule.minCount, k)
                for (prefix, count) in counts {
                    let logged = log.filter { $0.rule == rule.name && $0.windowStart == prefix.windowStart && $0.group == prefix.group }
                    #expect(logged.map(\.band).sorted() == AlertBands.crossed(by: count, base: base), "\(rule.name) \(prefix) \(count)")
                    let last = announced.last { $0.rule == rule.name && $0.windowStart == prefix.windowStart && $0.group == prefix.group }
                    #expect(last?.band == AlertBands.crossed(by: count, base: base).last)
                }
            }
        }
        // The streams are dense enough that the property is not vacuous.
        #expect(total > 150)
    }

    struct AlertKeyPrefix: Hashable { var windowStart: Int64; var group: GroupKey }

    /// Found by the property below: St. John's fell back at 00:01 in
    /// 2008, so 23:01-00:00 of 1 November came again after 2 November had
    /// begun. That instant belongs to the day that began first.
    @Test func aDayShownAgainAfterMidnightBelongsToTheNextWindow() {
        let zone = TimeZone(identifier: "America/St_Johns")!
        for kind in [WindowKind.day, .week] {
            let window = Window.containing(1_225_593_060, kind: kind, in: zone)
            #expect(window.contains(1_225_593_060))
            #expect(window.previous(in: zone).next(in: zone) == window)
        }
    }

    /// Windows contain their instant, are non-empty, tile time with their
    /// neighbours, and week labels parse back to the same window.
    @Test func windowsContainTheirInstant() async {
        let input = zip(Gen.int(in: -2_000_000_000...4_100_000_000), Gen.element(of: WindowGen.zones), Gen.bool())
        await propertyCheck(count: 3_000, input: input) { instant, zone, isWeek in
            let instant = Int64(instant)
            let zone = zone!
            let window = Window.containing(instant, kind: isWeek ? .week : .day, in: zone)
            #expect(window.contains(instant), "\(instant) \(zone.identifier) \(window)")
            #expect(window.end > window.start)
            #expect(window.end - window.start <= (isWeek ? 7 : 1) * 86_400 + 3 * 3_600)
            #expect(window.next(in: zone).start == window.end)
            #expect(window.previous(in: zone).end == window.start)
            if isWeek {
                #expect(Window.week(label: window.label, in: zone) == window)
            } else {
                #expect(Window.day(label: window.label, in: zone) == window)
            }
        }
    }

    /// Ticks are strictly later, no more than `every` later, and on the local clock's slots.
    @Test func ticksAreAlignedToTheLocalClock() async {
        let everies: [Interval] = [.minutes(5), .minutes(15), .minutes(30), .hours(1), .hours(2), .hours(6)]
        let input = zip(Gen.int(in: 1_700_000_000...1_900_000_000), Gen.element(of: everies))
        await propertyCheck(count: 2_000, input: input) { instant, every in
            let instant = Int64(instant)
            let every = every!
            let tick = Tick.nextTick(after: instant, every: every, in: Clock.amsterdam)
            #expect(tick > instant)
            // On the night the clocks go back the local hour repeats, so the
            // next slot on the wall clock may be an hour more away
            // (00:00 CEST → 06:00 CET is 7 h on 29 October 2028).
            let zone = Clock.amsterdam
            let fallBack = max(0, zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
                                - zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(tick))))
            #expect(tick - instant <= every.seconds + Int64(fallBack))
            let wall = Clock.wallClock(tick)
            let minuteOfDay = Int64(wall.hour * 60 + wall.minute)
            // Either on a slot, or the first instant after a skipped one (03:00 CEST).
            #expect(minuteOfDay * 60 % every.seconds == 0 || wall == (3, 0), "\(instant) \(every) → \(tick)")
        }
    }
}
