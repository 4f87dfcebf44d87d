/// The daemon's copy of the counts its rules read, kept between
/// evaluations, so that an evaluation after an ingest batch looks only at
/// the groups the batch touched (issue #8: drop → ack latency).
///
/// Counts are sets of pupils (`Pupils.swift`): an increment adds the
/// pupils a batch saw, and a pupil seen again adds nothing.
///
/// Why this is the same as a full evaluation: a decision depends on one
/// rule, one window, one group's counts (in the window, and for a rise
/// rule in its baseline weeks) and the alert log. After a pass whose
/// decisions were all recorded, no group has a decision pending. So until
/// the set of evaluated windows changes (a day or week begins, a window
/// leaves `max_age`), only a group whose counts changed can have a new
/// decision, and only its own counts are needed to find it. When the
/// windows change, `needsFullPass` says so and the caller reloads the
/// counts and the log from the store (`load`): the full evaluation is the
/// reference, and a property test holds the two to the same decisions.
///
/// A value type: the daemon keeps one behind a lock in `AlertEvaluator`.
public struct LiveCounts: Sendable {
    public let engine: RuleEngine

    /// Windows evaluated at the last load, per rule, and the hours held:
    /// when either differs at `now`, the next pass must be full.
    private var signature: Signature?
    /// By profile number.
    private var profiles: [BucketProfile] = []
    private var number: [BucketProfile: Int] = [:]
    /// By profile number: hour → the distinct pupils seen.
    private var counts: [[Int64: Set<PupilID>]] = []
    /// By rule, by profile number: the rule's group slot, -1 when the rule
    /// does not count the profile's category.
    private var slots: [[Int]]
    /// By rule: a group's values in `group_by` order → its slot.
    private var slotOfValues: [[[GroupKey.Value]: Int]]
    /// Profiles whose counts changed since the last pass.
    private var touched: Set<Int> = []
    /// The alert log as loaded, plus every key recorded since.
    private(set) var log: Set<AlertKey> = []

    struct Signature: Equatable, Sendable {
        var hours: Range<Int64>
        var windows: [[Int64]]
    }

    public init(engine: RuleEngine) {
        self.engine = engine
        slots = Array(repeating: [], count: engine.rules.count)
        slotOfValues = Array(repeating: [:], count: engine.rules.count)
    }

    /// Whether an evaluation at `now` must read every bucket and the log
    /// from the store: nothing loaded yet, a pass failed (`invalidate`), or
    /// the windows moved since the last load.
    public func needsFullPass(now: Int64) -> Bool {
        signature != Self.signature(engine, now: now)
    }

    /// Starts again from the store's buckets (every hour of
    /// `engine.hoursNeeded(now:)`) and alert log (every key of the windows
    /// evaluated at `now`), and evaluates everything.
    public mutating func load(buckets: [BucketCount], log: Set<AlertKey>, now: Int64) -> [AlertDecision] {
        load(log: log, now: now) { add in buckets.forEach(add) }
    }

    /// `load(buckets:log:now:)` for a caller that streams the buckets
    /// (from a database cursor) rather than holding them all: `feed` calls
    /// its argument once per bucket. Only the sums per profile and hour are
    /// kept, and the full evaluation runs over those.
    public mutating func load<E: Error>(log: Set<AlertKey>, now: Int64,
                                        feed: ((BucketCount) -> Void) throws(E) -> Void) throws(E) -> [AlertDecision] {
        let signature = Self.signature(engine, now: now)
        self = LiveCounts(engine: engine)
        self.log = log
        guard let signature else { return [] }
        try feed { bucket in
            if signature.hours.contains(bucket.hour) { self.add(bucket) }
        }
        self.signature = signature
        touched.removeAll()
        return engine.evaluate(now: now, log: log, index: BucketIndex(allBuckets()), cache: nil)
    }

    /// Every held count as a bucket (severity, which no rule groups by,
    /// merged away).
    private func allBuckets() -> [BucketCount] {
        var buckets: [BucketCount] = []
        buckets.reserveCapacity(counts.reduce(0) { $0 + $1.count })
        for (p, profile) in profiles.enumerated() {
            for (hour, pupils) in counts[p] {
                buckets.append(profile.bucket(hour: hour, pupils: pupils))
            }
        }
        return buckets
    }

    /// Adds the increments an ingest batch committed. Hours outside the
    /// held range are left out: no evaluated window or baseline reads them
    /// until the windows move, and then `load` reads them from the store.
    public mutating func add(_ increments: [BucketCount]) {
        guard let hours = signature?.hours else { return }
        for bucket in increments where hours.contains(bucket.hour) && !bucket.pupils.isEmpty {
            touched.insert(add(bucket))
        }
    }

    /// The decisions due at `now` among the groups touched since the last
    /// pass. Call only when `needsFullPass(now:)` is false.
    public func evaluateChanges(now: Int64) -> [AlertDecision] {
        guard !touched.isEmpty else { return [] }
        var decisions: [AlertDecision] = []
        for (position, rule) in engine.rules.enumerated() {
            let ruleSlots = slots[position]
            let groups = Set(touched.map { ruleSlots[$0] }.filter { $0 >= 0 })
            guard !groups.isEmpty else { continue }
            var buckets: [BucketCount] = []
            for (p, slot) in ruleSlots.enumerated() where groups.contains(slot) {
                let profile = profiles[p]
                for (hour, pupils) in counts[p] {
                    buckets.append(profile.bucket(hour: hour, pupils: pupils))
                }
            }
            var one = engine
            one.rules = [rule]
            decisions += one.evaluate(now: now, log: log, index: BucketIndex(buckets), cache: nil)
        }
        return decisions
    }

    /// Every decision of the last pass is in the alert log now: remember
    /// their keys and start collecting changes afresh.
    public mutating func recorded(_ decisions: [AlertDecision]) {
        for decision in decisions { log.formUnion(decision.logKeys) }
        touched.removeAll()
    }

    /// A pass failed (its decisions may not be recorded): the next one is
    /// full.
    public mutating func invalidate() {
        signature = nil
    }

    /// Adds one bucket's count; returns its profile's number.
    @discardableResult
    private mutating func add(_ bucket: BucketCount) -> Int {
        let profile = BucketProfile(bucket)
        let p: Int
        if let known = number[profile] {
            p = known
        } else {
            p = profiles.count
            number[profile] = p
            profiles.append(profile)
            counts.append([:])
            for (position, rule) in engine.rules.enumerated() {
                slots[position].append(slot(of: bucket, rule: rule, position: position))
            }
        }
        counts[p][bucket.hour, default: []].formUnion(bucket.pupils)
        return p
    }

    private mutating func slot(of bucket: BucketCount, rule: Rule, position: Int) -> Int {
        guard rule.matches(category: bucket.category) else { return -1 }
        let values = rule.groupBy.map { AlertGroup.value(of: bucket, $0, taxonomy: engine.taxonomy) }
        if let known = slotOfValues[position][values] { return known }
        let slot = slotOfValues[position].count
        slotOfValues[position][values] = slot
        return slot
    }

    private static func signature(_ engine: RuleEngine, now: Int64) -> Signature? {
        guard let hours = engine.hoursNeeded(now: now) else { return nil }
        return Signature(hours: hours, windows: engine.rules.map { engine.windows(for: $0, now: now).map(\.start) })
    }
}
