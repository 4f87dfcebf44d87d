// Replay — what a config would have alerted over the stored history, for
// `vertrouwd replay`. Read-only: it never writes the store or the outbox.
import Foundation
import VertrouwdCore
import VertrouwdStore

/// The alerts a set of rules would have decided over a period.
public struct ReplayedAlert: Hashable, Sendable, Comparable {
    public var rule: String
    /// "2026-11-29" or "2026-W48"
    public var window: String
    public var windowStart: Int64
    /// "channel=instagram, site=hoofdgebouw", or "whole school".
    public var group: String
    public var atLeast: Int

    public static func < (a: ReplayedAlert, b: ReplayedAlert) -> Bool {
        (a.rule, a.windowStart, a.group, a.atLeast) < (b.rule, b.windowStart, b.group, b.atLeast)
    }
}

public enum Replay {
    /// Steps a day at a time from `from` to `to` (epoch seconds), as the
    /// daemon would have evaluated, with an alert log of its own.
    public static func alerts(of configuration: Configuration, store: some StateStore, from: Int64, to: Int64) throws -> [ReplayedAlert] {
        try alerts(of: configuration, history: History(store: store, configurations: [configuration], from: from, to: to), from: from, to: to)
    }

    /// The stored buckets a replay reads, loaded once: the store does not
    /// change during a replay, so each window is counted once however many
    /// days look at it, and two configs share one load.
    public struct History: Sendable {
        let index: BucketIndex
        let hours: Range<Int64>?

        /// Loads every bucket that replaying any of `configurations` over
        /// [from, to] reads.
        public init(store: some StateStore, configurations: [Configuration], from: Int64, to: Int64) throws {
            var low: Int64?
            var high: Int64?
            for configuration in configurations {
                let engine = Replay.engine(for: configuration)
                let zone = configuration.school.timeZone
                // What an evaluation reads moves forward with `now`: the
                // first and the last evaluation bound it.
                for now in [min(Window.containing(from, kind: .day, in: zone).end - 1, to), to] {
                    guard let range = engine.hoursNeeded(now: now) else { continue }
                    low = min(low ?? range.lowerBound, range.lowerBound)
                    high = max(high ?? range.upperBound, range.upperBound)
                }
            }
            guard let low, let high, low < high else {
                index = BucketIndex([])
                hours = nil
                return
            }
            hours = low ..< high
            index = BucketIndex(try store.buckets(hours: low ..< high).map(BucketCount.init))
        }

        func covers(_ range: Range<Int64>) -> Bool {
            guard let hours else { return false }
            return hours.lowerBound <= range.lowerBound && range.upperBound <= hours.upperBound
        }
    }

    /// `alerts(of:store:from:to:)` over a history loaded once.
    public static func alerts(of configuration: Configuration, history: History, from: Int64, to: Int64) throws -> [ReplayedAlert] {
        let zone = configuration.school.timeZone
        let engine = engine(for: configuration)
        let cache = WindowCountCache()
        var log = Set<AlertKey>()
        var result: [ReplayedAlert] = []
        var day = Window.containing(from, kind: .day, in: zone)
        while day.start <= to {
            let now = min(day.end - 1, to)
            // History covers what the first and the last day read, and
            // what a day reads moves forward with the day.
            assert(engine.hoursNeeded(now: now).map(history.covers) ?? true, "the replay history does not cover a day")
            let decisions = engine.evaluate(now: now, log: log, index: history.index, cache: cache)
            for d in decisions {
                log.formUnion(d.logKeys)
                let group = d.group.isEmpty ? "whole school" : d.group.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                result.append(ReplayedAlert(rule: d.rule, window: d.window.label, windowStart: d.window.start, group: group, atLeast: d.atLeast))
            }
            day = day.next(in: zone)
        }
        return result.sorted()
    }

    static func engine(for configuration: Configuration) -> RuleEngine {
        RuleEngine(rules: configuration.rules, taxonomy: configuration.taxonomy,
                   minGroupSize: configuration.privacy.minGroupSize, zone: configuration.school.timeZone,
                   maxAge: configuration.ingest.maxAge)
    }


    /// The report `vertrouwd replay` prints: per rule, what each config
    /// sends, and the alerts only one of them sends.
    public static func report(current: [ReplayedAlert], candidate: [ReplayedAlert], currentRules: [Rule], candidateRules: [Rule]) -> String {
        var names = currentRules.map(\.name)
        for r in candidateRules where !names.contains(r.name) { names.append(r.name) }
        var out = ""
        var differences = 0
        for name in names {
            let a = Set(current.filter { $0.rule == name })
            let b = Set(candidate.filter { $0.rule == name })
            let inCurrent = currentRules.contains { $0.name == name }
            let inCandidate = candidateRules.contains { $0.name == name }
            out += "rule \(name): current \(inCurrent ? "\(a.count) alert\(a.count == 1 ? "" : "s")" : "(no such rule)"), "
                + "candidate \(inCandidate ? "\(b.count) alert\(b.count == 1 ? "" : "s")" : "(no such rule)")\n"
            for alert in b.subtracting(a).sorted() {
                out += "  + \(alert.window)  \(alert.group)  at least \(alert.atLeast)\n"
            }
            for alert in a.subtracting(b).sorted() {
                out += "  - \(alert.window)  \(alert.group)  at least \(alert.atLeast)\n"
            }
            differences += a.symmetricDifference(b).count
        }
        out += differences == 0 ? "no difference\n" : "\(differences) alert\(differences == 1 ? "" : "s") differ (+ only the candidate sends, - only the current config sends)\n"
        return out
    }
}

extension BucketCount {
    /// A stored bucket as the rule engine counts it (an unknown severity
    /// text counts as medium).
    init(_ stored: StoredBucket) {
        self.init(hour: stored.hour, category: stored.category, site: stored.site, cohort: stored.cohort,
                  channel: stored.channel, severity: Severity(rawValue: stored.severity) ?? .medium, count: stored.count)
    }
}
