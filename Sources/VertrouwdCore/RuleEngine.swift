import Foundation

/// Decides which alerts are due, from bucket counts and the alert log.
/// DESIGN §5. Pure: no clock, no store — `now` and a bucket source are
/// parameters, and the caller writes each decision's `logKeys` to the alert
/// log in the same transaction as its message (§7).
public struct RuleEngine: Sendable {
    public var rules: [Rule]
    public var taxonomy: Taxonomy
    /// k (`privacy.min_group_size`): no band below it is ever announced.
    public var minGroupSize: Int
    /// The school's zone: windows are aligned in it.
    public var zone: TimeZone
    /// `ingest.max_age`: how late a signal may still arrive. A window stays
    /// open to evaluation while it overlaps `[now − maxAge, now]`, because a
    /// late signal counts in its own window, not the one it arrived in.
    public var maxAge: Interval
    /// `[calendar]`: rise baselines leave its holiday weeks out.
    public var calendar: SchoolCalendar

    public init(rules: [Rule], taxonomy: Taxonomy, minGroupSize: Int, zone: TimeZone, maxAge: Interval,
                calendar: SchoolCalendar = SchoolCalendar()) {
        self.rules = rules
        self.taxonomy = taxonomy
        self.minGroupSize = minGroupSize
        self.zone = zone
        self.maxAge = maxAge
        self.calendar = calendar
    }

    /// The engine of a config: its rules, taxonomy, k, zone,
    /// `ingest.max_age` and calendar. The daemon and `replay` both build theirs here.
    public init(configuration: Configuration) {
        self.init(rules: configuration.rules, taxonomy: configuration.taxonomy,
                  minGroupSize: configuration.privacy.minGroupSize, zone: configuration.school.timeZone,
                  maxAge: configuration.ingest.maxAge, calendar: configuration.calendar)
    }

    /// Every decision due at `now`, given the alert log so far.
    ///
    /// - Parameters:
    ///   - buckets: returns the store's buckets whose hour lies in the given
    ///     range (UTC hours). Called once per evaluation.
    ///   - log: the alert log. Decisions whose key is in it are not repeated.
    /// - Returns: decisions ordered by rule (config order), window, group.
    public func evaluate(
        now: Int64, log: Set<AlertKey>,
        buckets: (Range<Int64>) throws -> [BucketCount]
    ) rethrows -> [AlertDecision] {
        guard let range = hoursNeeded(now: now) else { return [] }
        return evaluate(now: now, log: log, index: BucketIndex(try buckets(range)), cache: nil)
    }

    /// The UTC hours whose buckets an evaluation at `now` reads, or nil
    /// when no rule reads any.
    public func hoursNeeded(now: Int64) -> Range<Int64>? {
        let needed = rules.flatMap { rule -> [Window] in
            let plan = plan(for: rule, now: now)
            return plan.windows
        }
        guard let low = needed.map(\.hours.lowerBound).min(),
              let high = needed.map(\.hours.upperBound).max(), low < high
        else { return nil }
        return low ..< high
    }

    /// `evaluate(now:log:buckets:)` over buckets already at hand.
    ///
    /// - Parameters:
    ///   - index: must hold every bucket of `hoursNeeded(now:)`.
    ///   - cache: counts of windows already counted, for a caller that
    ///     evaluates many `now`s over buckets that do not change between
    ///     calls (a replay); nil counts every window afresh, as the
    ///     daemon must (late signals change past windows).
    public func evaluate(now: Int64, log: Set<AlertKey>, index: BucketIndex, cache: WindowCountCache?) -> [AlertDecision] {
        var decisions: [AlertDecision] = []
        for (position, rule) in rules.enumerated() {
            let plan = plan(for: rule, now: now)
            let counter = GroupCounter(rule: rule, taxonomy: taxonomy, index: index,
                                       slots: cache.map { $0.slots(rule: position) } ?? GroupSlots())
            func counts(_ window: Window) -> WindowCounts {
                guard let cache else { return counter.counts(in: window) }
                let key = WindowCountCache.Key(rule: position, kind: window.kind, start: window.start)
                if let known = cache.counts[key] { return known }
                let fresh = counter.counts(in: window)
                cache.counts[key] = fresh
                return fresh
            }
            switch rule.kind {
            case .threshold:
                for window in plan.windows {
                    decisions += threshold(rule, window: window, counts: counts(window), log: log)
                }
            case .rise:
                // Decided when the week's summary is published, from
                // published values only (`PublishedRise`).
                break
            }
        }
        return decisions
    }

    /// The windows a rule evaluates at `now`.
    ///
    /// Threshold rules: the current window and every earlier one still open
    /// to late signals (ending after `now − maxAge`). Rise rules: none; they
    /// are decided when a week's summary is published (`PublishedRise`).
    public func windows(for rule: Rule, now: Int64) -> [Window] {
        plan(for: rule, now: now).windows
    }

    /// The windows a rule evaluates.
    struct Plan {
        var windows: [Window]
    }

    /// How many holiday weeks a baseline reaches back past, at most: a
    /// summer holiday (six or seven weeks) and a few more, about a term.
    static let baselineHolidayReach = 13

    /// A rise rule's baseline: the `count` weeks before `week` that are not
    /// holiday weeks of the school calendar, oldest first. Holiday weeks
    /// are skipped, reaching back at most `baselineHolidayReach` weeks
    /// further; fewer weeks come back when that is not enough.
    public func weeks(before week: Window, count: Int) -> [Window] {
        var result: [Window] = []
        var current = week
        var skipped = 0
        while result.count < max(0, count) {
            current = current.previous(in: zone)
            if calendar.isHolidayWeek(current, in: zone) {
                skipped += 1
                if skipped > Self.baselineHolidayReach { break }
                continue
            }
            result.insert(current, at: 0)
        }
        return result
    }

    func plan(for rule: Rule, now: Int64) -> Plan {
        let current = Window.containing(now, kind: rule.window, in: zone)
        var windows: [Window]
        switch rule.kind {
        case .threshold: windows = [current]
        // Decided at publication from published values (`PublishedRise`):
        // no window, no buckets.
        case .rise: return Plan(windows: [])
        }
        let oldest = now - maxAge.seconds
        while let first = windows.first, first.start > oldest {
            let earlier = first.previous(in: zone)
            guard earlier.end > oldest else { break }
            windows.insert(earlier, at: 0)
        }
        return Plan(windows: windows)
    }

    /// Threshold: announce the highest band the pupil count has crossed, unless it
    /// is already in the log; log every crossed band not yet there.
    func threshold(_ rule: Rule, window: Window, counts: WindowCounts, log: Set<AlertKey>) -> [AlertDecision] {
        let base = AlertBands.base(minCount: rule.minCount, k: minGroupSize)
        var decisions: [AlertDecision] = []
        for (group, count) in counts.ordered where count >= base {
            let crossed = AlertBands.crossed(by: count, base: base)
            guard let highest = crossed.last else { continue }
            let key = { (band: Int) in AlertKey(rule: rule.name, windowStart: window.start, group: group, band: band) }
            // A logged highest band already announced everything below it.
            guard !log.contains(key(highest)) else { continue }
            let newKeys = crossed.map(key).filter { !log.contains($0) }
            // An escalation follows an earlier alert of this group and
            // window; a first alert that starts above the base band is not
            // one ("doubled since the previous alert" would be false).
            decisions.append(AlertDecision(
                rule: rule.name, window: window, group: group, atLeast: highest,
                escalation: newKeys.count < crossed.count, severity: rule.severity, logKeys: newKeys
            ))
        }
        return decisions
    }
}

/// Counts one rule's distinct pupils per group, for any window: a pupil
/// seen in several hours or categories of one group counts once.
struct GroupCounter {
    let rule: Rule
    let taxonomy: Taxonomy
    let index: BucketIndex
    let slots: GroupSlots

    func counts(in window: Window) -> WindowCounts {
        var pupils: [Set<PupilID>] = []
        for i in index.positions(in: window.hours) {
            let bucket = index.sorted[i]
            guard !bucket.pupils.isEmpty else { continue }
            let slot = slots.slot(of: index.profile[i], in: index, rule: rule, taxonomy: taxonomy)
            guard slot >= 0 else { continue }
            if slot >= pupils.count { pupils += repeatElement([], count: slot + 1 - pupils.count) }
            pupils[slot].formUnion(bucket.pupils)
        }
        var counts: [GroupKey: Int] = [:]
        for (slot, set) in pupils.enumerated() where !set.isEmpty {
            counts[slots.groups[slot], default: 0] += set.count
        }
        return WindowCounts(counts)
    }
}

/// For one rule: which group each bucket profile falls in (or none: its
/// category does not match), worked out once per profile rather than once
/// per bucket.
final class GroupSlots {
    /// By profile number: the group's slot, -1 for no match, -2 not yet known.
    private var slotOfProfile: [Int] = []
    /// By the group's values in `group_by` order (cheaper to hash than the
    /// group itself): its slot.
    private var slotOfValues: [[GroupKey.Value]: Int] = [:]
    private var categoryMatches: [String: Bool] = [:]
    /// By slot: the group.
    private(set) var groups: [GroupKey] = []

    func slot(of profile: Int, in index: BucketIndex, rule: Rule, taxonomy: Taxonomy) -> Int {
        if profile < slotOfProfile.count, slotOfProfile[profile] != -2 { return slotOfProfile[profile] }
        if profile >= slotOfProfile.count { slotOfProfile += repeatElement(-2, count: profile + 1 - slotOfProfile.count) }
        let bucket = index.profiles[profile]
        let matches = categoryMatches[bucket.category] ?? rule.matches(category: bucket.category)
        categoryMatches[bucket.category] = matches
        var slot = -1
        if matches {
            let values = rule.groupBy.map { AlertGroup.value(of: bucket, $0, taxonomy: taxonomy) }
            if let known = slotOfValues[values] {
                slot = known
            } else {
                slot = groups.count
                slotOfValues[values] = slot
                groups.append(GroupKey(zip(rule.groupBy, values).map { GroupKey.Part($0, $1) }))
            }
        }
        slotOfProfile[profile] = slot
        return slot
    }
}

/// One rule's counts in one window, per group.
public struct WindowCounts: Sendable {
    /// group → count.
    public let byGroup: [GroupKey: Int]
    /// The same, in `GroupKey` order (decisions come out in this order).
    public let ordered: [(group: GroupKey, count: Int)]

    public init(_ byGroup: [GroupKey: Int]) {
        self.byGroup = byGroup
        ordered = byGroup.map { (group: $0.key, count: $0.value) }.sorted { $0.group < $1.group }
    }
}

/// Buckets sorted by hour, for reading the buckets of any hour range
/// without a dictionary per evaluation. Each bucket also carries the
/// number of its profile (category, site, cohort, channel: what a group is
/// made of), so that a rule works out a group once per profile.
public struct BucketIndex: Sendable {
    let sorted: [BucketCount]
    /// By bucket (as in `sorted`): its profile's number.
    let profile: [Int]
    /// By profile number: a bucket of that profile.
    let profiles: [BucketCount]

    public init(_ buckets: [BucketCount]) {
        var all = buckets
        // The store returns them in hour order already: sorting is then cheap.
        if !all.isSorted(by: { $0.hour <= $1.hour }) { all.sort { $0.hour < $1.hour } }
        var numbers: [BucketProfile: Int] = [:]
        var profile: [Int] = []
        var profiles: [BucketCount] = []
        profile.reserveCapacity(all.count)
        for bucket in all {
            let key = BucketProfile(bucket)
            if let number = numbers[key] {
                profile.append(number)
            } else {
                numbers[key] = profiles.count
                profile.append(profiles.count)
                profiles.append(bucket)
            }
        }
        sorted = all
        self.profile = profile
        self.profiles = profiles
    }

    /// The buckets whose hour lies in `hours`.
    public func buckets(in hours: Range<Int64>) -> ArraySlice<BucketCount> {
        sorted[positions(in: hours)]
    }

    /// The positions in `sorted` of the buckets whose hour lies in `hours`.
    func positions(in hours: Range<Int64>) -> Range<Int> {
        firstIndex(atOrAfter: hours.lowerBound) ..< max(firstIndex(atOrAfter: hours.lowerBound), firstIndex(atOrAfter: hours.upperBound))
    }

    private func firstIndex(atOrAfter hour: Int64) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].hour < hour { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Counts per rule and window, kept across evaluations by a caller whose
/// buckets do not change between them (`RuleEngine.evaluate(now:log:index:cache:)`).
/// One cache per rule set: rules are keyed by their position.
public final class WindowCountCache {
    struct Key: Hashable {
        var rule: Int
        var kind: WindowKind
        var start: Int64
    }

    var counts: [Key: WindowCounts] = [:]
    private var slotsByRule: [Int: GroupSlots] = [:]

    public init() {}

    func slots(rule: Int) -> GroupSlots {
        if let known = slotsByRule[rule] { return known }
        let fresh = GroupSlots()
        slotsByRule[rule] = fresh
        return fresh
    }
}

extension Array {
    func isSorted(by areInOrder: (Element, Element) -> Bool) -> Bool {
        guard count > 1 else { return true }
        for i in 1..<count where !areInOrder(self[i - 1], self[i]) { return false }
        return true
    }
}
