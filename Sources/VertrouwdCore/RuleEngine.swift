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

    public init(rules: [Rule], taxonomy: Taxonomy, minGroupSize: Int, zone: TimeZone, maxAge: Interval) {
        self.rules = rules
        self.taxonomy = taxonomy
        self.minGroupSize = minGroupSize
        self.zone = zone
        self.maxAge = maxAge
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
        let plans = rules.map { plan(for: $0, now: now) }
        let needed = plans.flatMap { $0.windows + $0.baselines }
        guard let low = needed.map(\.hours.lowerBound).min(),
              let high = needed.map(\.hours.upperBound).max(), low < high
        else { return [] }
        var byHour: [Int64: [BucketCount]] = [:]
        for bucket in try buckets(low ..< high) where bucket.count > 0 {
            byHour[bucket.hour, default: []].append(bucket)
        }
        var decisions: [AlertDecision] = []
        for (rule, plan) in zip(rules, plans) {
            let counter = GroupCounter(rule: rule, taxonomy: taxonomy, byHour: byHour)
            switch rule.kind {
            case .threshold:
                for window in plan.windows {
                    decisions += threshold(rule, window: window, counts: counter.counts(in: window), log: log)
                }
            case .rise(let baselineWeeks, let factor):
                for window in plan.windows {
                    let baseline = weeks(before: window, count: baselineWeeks)
                    decisions += rise(
                        rule, window: window, counts: counter.counts(in: window),
                        baseline: baseline.map(counter.counts(in:)), baselineWeeks: baselineWeeks,
                        factor: factor, log: log
                    )
                }
            }
        }
        return decisions
    }

    /// The windows a rule evaluates at `now`.
    ///
    /// Threshold rules: the current window and every earlier one still open
    /// to late signals (ending after `now − maxAge`). Rise rules: the last
    /// closed week — always, so a week that closed while the daemon was down
    /// is still judged once it is back — and earlier closed weeks still open
    /// to late signals.
    public func windows(for rule: Rule, now: Int64) -> [Window] {
        plan(for: rule, now: now).windows
    }

    /// The windows a rule evaluates, and the older ones it reads.
    struct Plan {
        var windows: [Window]
        var baselines: [Window]
    }

    /// The `count` weeks before `week`, oldest first.
    func weeks(before week: Window, count: Int) -> [Window] {
        var result: [Window] = []
        var current = week
        for _ in 0..<max(0, count) {
            current = current.previous(in: zone)
            result.insert(current, at: 0)
        }
        return result
    }

    func plan(for rule: Rule, now: Int64) -> Plan {
        let current = Window.containing(now, kind: rule.window, in: zone)
        var windows: [Window]
        switch rule.kind {
        case .threshold: windows = [current]
        case .rise: windows = [current.previous(in: zone)]
        }
        let oldest = now - maxAge.seconds
        while let first = windows.first, first.start > oldest {
            let earlier = first.previous(in: zone)
            guard earlier.end > oldest else { break }
            windows.insert(earlier, at: 0)
        }
        guard case .rise(let baselineWeeks, _) = rule.kind, let first = windows.first else {
            return Plan(windows: windows, baselines: [])
        }
        // Only the oldest evaluated week's baseline matters for the hour
        // range to fetch: later weeks' baselines lie inside it.
        return Plan(windows: windows, baselines: weeks(before: first, count: baselineWeeks))
    }

    /// Threshold: announce the highest band the count has crossed, unless it
    /// is already in the log; log every crossed band not yet there.
    func threshold(_ rule: Rule, window: Window, counts: [[String: String]: Int], log: Set<AlertKey>) -> [AlertDecision] {
        let base = AlertBands.base(minCount: rule.minCount, k: minGroupSize)
        var decisions: [AlertDecision] = []
        for (group, count) in counts.sorted(by: { AlertGroup.sortKey($0.key) < AlertGroup.sortKey($1.key) }) {
            let crossed = AlertBands.crossed(by: count, base: base)
            guard let highest = crossed.last else { continue }
            let key = { (band: Int) in AlertKey(rule: rule.name, windowStart: window.start, group: group, band: band) }
            // A logged highest band already announced everything below it.
            guard !log.contains(key(highest)) else { continue }
            let newKeys = crossed.map(key).filter { !log.contains($0) }
            decisions.append(AlertDecision(
                rule: rule.name, window: window, group: group, atLeast: highest,
                escalation: highest > base, severity: rule.severity, logKeys: newKeys
            ))
        }
        return decisions
    }

    /// Rise: this week's count against the mean of the baseline weeks.
    /// Fires when count ≥ factor × mean and count ≥ the base band; a mean of
    /// zero (no history, e.g. a new install) therefore fires at the base
    /// band alone. One alert per rule, week and group: the log key's band
    /// is the base band, whatever band is announced.
    func rise(
        _ rule: Rule, window: Window, counts: [[String: String]: Int],
        baseline: [[[String: String]: Int]], baselineWeeks: Int, factor: Double, log: Set<AlertKey>
    ) -> [AlertDecision] {
        let base = AlertBands.base(minCount: rule.minCount, k: minGroupSize)
        var decisions: [AlertDecision] = []
        for (group, count) in counts.sorted(by: { AlertGroup.sortKey($0.key) < AlertGroup.sortKey($1.key) }) {
            guard let band = AlertBands.crossed(by: count, base: base).last else { continue }
            // Weeks missing from the store (purged, or before install) count as 0.
            let total = baseline.reduce(0) { $0 + ($1[group] ?? 0) }
            let mean = baselineWeeks > 0 ? Double(total) / Double(baselineWeeks) : 0
            guard Double(count) >= factor * mean else { continue }
            let key = AlertKey(rule: rule.name, windowStart: window.start, group: group, band: base)
            guard !log.contains(key) else { continue }
            decisions.append(AlertDecision(
                rule: rule.name, window: window, group: group, atLeast: band,
                escalation: false, severity: rule.severity, logKeys: [key]
            ))
        }
        return decisions
    }
}

/// Sums one rule's matching buckets per group, for any window.
struct GroupCounter {
    let rule: Rule
    let taxonomy: Taxonomy
    let byHour: [Int64: [BucketCount]]

    func counts(in window: Window) -> [[String: String]: Int] {
        var matches: [String: Bool] = [:]
        var counts: [[String: String]: Int] = [:]
        for hour in window.hours {
            for bucket in byHour[hour] ?? [] {
                let hit = matches[bucket.category] ?? rule.matches(category: bucket.category)
                matches[bucket.category] = hit
                guard hit else { continue }
                counts[AlertGroup.key(of: bucket, by: rule.groupBy, taxonomy: taxonomy), default: 0] += bucket.count
            }
        }
        return counts
    }
}
