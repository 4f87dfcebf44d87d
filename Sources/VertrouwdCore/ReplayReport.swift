/// An alert a config would have decided over the stored history
/// (`vertrouwd replay`).
public struct ReplayedAlert: Hashable, Sendable, Comparable {
    public var rule: String
    /// "2026-11-29" or "2026-W48"
    public var window: String
    public var windowStart: Int64
    public var group: GroupKey
    public var atLeast: Int

    public init(rule: String, window: String, windowStart: Int64, group: GroupKey, atLeast: Int) {
        self.rule = rule
        self.window = window
        self.windowStart = windowStart
        self.group = group
        self.atLeast = atLeast
    }

    /// What a decision announced.
    public init(_ decision: AlertDecision) {
        self.init(rule: decision.rule, window: decision.window.label, windowStart: decision.window.start,
                  group: decision.group, atLeast: decision.atLeast)
    }

    /// By rule, window, group, band.
    public static func < (a: ReplayedAlert, b: ReplayedAlert) -> Bool {
        if a.rule != b.rule { return a.rule < b.rule }
        if a.windowStart != b.windowStart { return a.windowStart < b.windowStart }
        if a.group != b.group { return a.group < b.group }
        return a.atLeast < b.atLeast
    }
}

/// The comparison `vertrouwd replay` prints.
public enum ReplayReport {
    /// Per rule (the current config's order, then the candidate's new
    /// rules), how many alerts each config sends, the alerts only the
    /// candidate sends (+) and only the current config sends (-); then how
    /// many differ, or "no difference".
    ///
    ///     rule sextortion-acuut: current 1 alert, candidate 2 alerts
    ///       + 2026-11-29  channel=instagram;site=hoofdgebouw  at least 6
    ///       - 2026-11-29  channel=instagram;site=hoofdgebouw  at least 5
    ///
    /// A group is shown in its one text form (`GroupKey.encoded`), the
    /// whole school as "whole school".
    public static func render(current: [ReplayedAlert], candidate: [ReplayedAlert],
                              currentRules: [Rule], candidateRules: [Rule]) -> String {
        var names = currentRules.map(\.name)
        for r in candidateRules where !names.contains(r.name) { names.append(r.name) }
        var out = ""
        var differences = 0
        func count(_ n: Int) -> String { "\(n) alert\(n == 1 ? "" : "s")" }
        func line(_ sign: String, _ alert: ReplayedAlert) -> String {
            let group = alert.group.isWholeSchool ? "whole school" : alert.group.encoded
            return "  \(sign) \(alert.window)  \(group)  at least \(alert.atLeast)\n"
        }
        for name in names {
            let a = Set(current.filter { $0.rule == name })
            let b = Set(candidate.filter { $0.rule == name })
            let inCurrent = currentRules.contains { $0.name == name }
            let inCandidate = candidateRules.contains { $0.name == name }
            out += "rule \(name): current \(inCurrent ? count(a.count) : "(no such rule)"), "
                + "candidate \(inCandidate ? count(b.count) : "(no such rule)")\n"
            for alert in b.subtracting(a).sorted() { out += line("+", alert) }
            for alert in a.subtracting(b).sorted() { out += line("-", alert) }
            differences += a.symmetricDifference(b).count
        }
        out += differences == 0
            ? "no difference\n"
            : "\(count(differences)) differ (+ only the candidate sends, - only the current config sends)\n"
        return out
    }
}

/// What a config would have decided over a stored history: the daemon's
/// evaluation, a day at a time, with an alert log of its own. Pure: the
/// caller loads the buckets of `hoursNeeded` once.
public enum ReplaySimulation {
    /// The UTC hours replaying any of `engines` over [from, to] reads, or
    /// nil when none reads any. What an evaluation reads moves forward with
    /// `now`, so the first and the last evaluation bound it.
    public static func hoursNeeded(_ engines: [RuleEngine], from: Int64, to: Int64) -> Range<Int64>? {
        var low: Int64?
        var high: Int64?
        for engine in engines {
            for now in [min(Window.containing(from, kind: .day, in: engine.zone).end - 1, to), to] {
                guard let range = engine.hoursNeeded(now: now) else { continue }
                low = min(low ?? range.lowerBound, range.lowerBound)
                high = max(high ?? range.upperBound, range.upperBound)
            }
        }
        guard let low, let high, low < high else { return nil }
        return low ..< high
    }

    /// Steps a day at a time from `from` to `to` (epoch seconds), evaluating
    /// at each day's end (or at `to`), and returns every decision, sorted.
    /// `index` must hold the buckets of `hoursNeeded([engine], from:, to:)`;
    /// the store does not change during a replay, so each (rule, window) is
    /// counted once however many days look at it.
    public static func alerts(engine: RuleEngine, index: BucketIndex, from: Int64, to: Int64) -> [ReplayedAlert] {
        let cache = WindowCountCache()
        var log = Set<AlertKey>()
        var result: [ReplayedAlert] = []
        var day = Window.containing(from, kind: .day, in: engine.zone)
        while day.start <= to {
            let now = min(day.end - 1, to)
            for d in engine.evaluate(now: now, log: log, index: index, cache: cache) {
                log.formUnion(d.logKeys)
                result.append(ReplayedAlert(d))
            }
            day = day.next(in: engine.zone)
        }
        return result.sorted()
    }
}
