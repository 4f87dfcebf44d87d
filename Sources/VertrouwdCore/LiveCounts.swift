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
/// What is kept is what a decision reads, and no more: per rule, per window
/// it reads (evaluated and baseline windows, fixed until the windows move)
/// and per group, the set of distinct pupils — the union the engine's
/// `GroupCounter` would form from the buckets. An increment is added to
/// those sets as it comes, so a pass costs the touched groups' set sizes,
/// not a walk over every bucket of every touched group (issue 13, `make
/// bench` measurement 8: three weeks of pupils, eleven rules).
///
/// A value type: the daemon keeps one behind a lock in `AlertEvaluator`.
public struct LiveCounts: Sendable {
    public let engine: RuleEngine

    /// Windows evaluated at the last load, per rule, and the hours held:
    /// when either differs at `now`, the next pass must be full.
    private var signature: Signature?
    /// Bucket profiles (category, site, cohort, channel) by number.
    private var number: [BucketProfile: Int] = [:]
    /// By rule, by profile number: the rule's group slot, -1 when the rule
    /// does not count the profile's category.
    private var slots: [[Int]]
    /// By rule: a group's values in `group_by` order → its slot.
    private var slotOfValues: [[[GroupKey.Value]: Int]]
    /// By rule, by slot: the group.
    private var groups: [[GroupKey]]
    /// By rule: the windows it reads, and their pupils per group.
    private var windows: [RuleWindows]
    /// By rule: the slots whose pupils changed since the last pass.
    private var touched: [Set<Int>]
    /// The alert log as loaded, plus every key recorded since.
    private(set) var log: Set<AlertKey> = []

    struct Signature: Equatable, Sendable {
        var hours: Range<Int64>
        var windows: [[Int64]]
    }

    /// One rule's windows (evaluated and baseline) and, per window and
    /// group slot, the distinct pupils counted in it.
    struct RuleWindows: Sendable {
        /// Window start → position in `pupils`.
        var position: [Int64: Int] = [:]
        /// By hour − the held range's first hour: the positions of the
        /// windows containing it (one: a rule's windows are of one kind
        /// and do not overlap).
        var ofHour: [[Int32]] = []
        /// By window position, by slot.
        var pupils: [[Set<PupilID>]] = []

        init() {}

        init(_ windows: [Window], hours: Range<Int64>) {
            ofHour = Array(repeating: [], count: hours.count)
            for window in windows where position[window.start] == nil {
                let p = pupils.count
                position[window.start] = p
                pupils.append([])
                for hour in window.hours.clamped(to: hours) {
                    ofHour[Int(hour - hours.lowerBound)].append(Int32(p))
                }
            }
        }

        /// The counts of `window` for the groups in `only` (every group
        /// when nil): each group with at least one pupil.
        func counts(_ window: Window, groups: [GroupKey], only: Set<Int>?) -> WindowCounts {
            guard let p = position[window.start] else { return WindowCounts([:]) }
            let sets = pupils[p]
            var byGroup: [GroupKey: Int] = [:]
            if let only {
                for slot in only where slot < sets.count && !sets[slot].isEmpty {
                    byGroup[groups[slot], default: 0] += sets[slot].count
                }
            } else {
                for (slot, set) in sets.enumerated() where !set.isEmpty {
                    byGroup[groups[slot], default: 0] += set.count
                }
            }
            return WindowCounts(byGroup)
        }
    }

    public init(engine: RuleEngine) {
        self.engine = engine
        slots = Array(repeating: [], count: engine.rules.count)
        slotOfValues = Array(repeating: [:], count: engine.rules.count)
        groups = Array(repeating: [], count: engine.rules.count)
        windows = Array(repeating: RuleWindows(), count: engine.rules.count)
        touched = Array(repeating: [], count: engine.rules.count)
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
    /// its argument once per bucket. Only the pupils per rule, window and
    /// group are kept, and the full evaluation runs over those.
    public mutating func load<E: Error>(log: Set<AlertKey>, now: Int64,
                                        feed: ((BucketCount) -> Void) throws(E) -> Void) throws(E) -> [AlertDecision] {
        let signature = Self.signature(engine, now: now)
        self = LiveCounts(engine: engine)
        self.log = log
        guard let signature else { return [] }
        for (position, rule) in engine.rules.enumerated() {
            let plan = engine.plan(for: rule, now: now)
            windows[position] = RuleWindows(plan.windows, hours: signature.hours)
        }
        self.signature = signature
        try feed { bucket in
            if signature.hours.contains(bucket.hour) { self.add(bucket) }
        }
        for position in touched.indices { touched[position].removeAll() }
        return evaluate(now: now, only: nil)
    }

    /// Adds the increments an ingest batch committed. Hours outside the
    /// held range are left out: no evaluated window or baseline reads them
    /// until the windows move, and then `load` reads them from the store.
    public mutating func add(_ increments: [BucketCount]) {
        guard let hours = signature?.hours else { return }
        for bucket in increments where hours.contains(bucket.hour) && !bucket.pupils.isEmpty {
            add(bucket)
        }
    }

    /// The decisions due at `now` among the groups touched since the last
    /// pass. Call only when `needsFullPass(now:)` is false.
    public func evaluateChanges(now: Int64) -> [AlertDecision] {
        guard touched.contains(where: { !$0.isEmpty }) else { return [] }
        return evaluate(now: now, only: touched)
    }

    /// Every decision of the last pass is in the alert log now: remember
    /// their keys and start collecting changes afresh.
    public mutating func recorded(_ decisions: [AlertDecision]) {
        for decision in decisions { log.formUnion(decision.logKeys) }
        for position in touched.indices { touched[position].removeAll() }
    }

    /// A pass failed (its decisions may not be recorded): the next one is
    /// full.
    public mutating func invalidate() {
        signature = nil
    }

    /// What `RuleEngine.evaluate` decides at `now`, for the groups in
    /// `only` (by rule; every group when nil): rules in config order, then
    /// windows, then groups, as the engine orders them.
    private func evaluate(now: Int64, only: [Set<Int>]?) -> [AlertDecision] {
        var decisions: [AlertDecision] = []
        for (position, rule) in engine.rules.enumerated() {
            let some = only?[position]
            if let some, some.isEmpty { continue }
            let held = windows[position]
            let counts = { (window: Window) in held.counts(window, groups: groups[position], only: some) }
            let plan = engine.plan(for: rule, now: now)
            switch rule.kind {
            case .threshold:
                for window in plan.windows {
                    decisions += engine.threshold(rule, window: window, counts: counts(window), log: log)
                }
            case .rise:
                break  // decided at publication (`PublishedRise`)
            }
        }
        return decisions
    }

    /// Adds one bucket's pupils to every window and group that counts
    /// them, and marks those groups touched. `bucket.hour` is in the held
    /// range.
    private mutating func add(_ bucket: BucketCount) {
        guard let hours = signature?.hours else { return }
        let profile = BucketProfile(bucket)
        let p: Int
        if let known = number[profile] {
            p = known
        } else {
            p = number.count
            number[profile] = p
            for (position, rule) in engine.rules.enumerated() {
                slots[position].append(slot(of: bucket, rule: rule, position: position))
            }
        }
        let offset = Int(bucket.hour - hours.lowerBound)
        for position in engine.rules.indices {
            let slot = slots[position][p]
            guard slot >= 0 else { continue }
            touched[position].insert(slot)
            for w in windows[position].ofHour[offset] {
                let w = Int(w)
                if slot >= windows[position].pupils[w].count {
                    windows[position].pupils[w] += repeatElement([], count: slot + 1 - windows[position].pupils[w].count)
                }
                windows[position].pupils[w][slot].formUnion(bucket.pupils)
            }
        }
    }

    private mutating func slot(of bucket: BucketCount, rule: Rule, position: Int) -> Int {
        guard rule.matches(category: bucket.category) else { return -1 }
        let values = rule.groupBy.map { AlertGroup.value(of: bucket, $0, taxonomy: engine.taxonomy) }
        if let known = slotOfValues[position][values] { return known }
        let slot = slotOfValues[position].count
        slotOfValues[position][values] = slot
        groups[position].append(GroupKey(zip(rule.groupBy, values).map { GroupKey.Part($0, $1) }))
        return slot
    }

    private static func signature(_ engine: RuleEngine, now: Int64) -> Signature? {
        guard let hours = engine.hoursNeeded(now: now) else { return nil }
        return Signature(hours: hours, windows: engine.rules.map { engine.windows(for: $0, now: now).map(\.start) })
    }
}
