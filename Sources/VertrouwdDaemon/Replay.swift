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
    public static func alerts(of configuration: Configuration, store: SignalStore, from: Int64, to: Int64) throws -> [ReplayedAlert] {
        let zone = configuration.school.timeZone
        let engine = RuleEngine(rules: configuration.rules, taxonomy: configuration.taxonomy,
                                minGroupSize: configuration.privacy.minGroupSize, zone: zone, maxAge: configuration.ingest.maxAge)
        var log = Set<AlertKey>()
        var result: [ReplayedAlert] = []
        var day = Window.containing(from, kind: .day, in: zone)
        while day.start <= to {
            let now = min(day.end - 1, to)
            let decisions = try engine.evaluate(now: now, log: log) { hours in
                try store.buckets(hours: hours).map {
                    BucketCount(hour: $0.hour, category: $0.category, site: $0.site, cohort: $0.cohort, channel: $0.channel,
                                severity: Severity(rawValue: $0.severity) ?? .medium, count: $0.count)
                }
            }
            for d in decisions {
                log.formUnion(d.logKeys)
                let group = d.group.isEmpty ? "whole school" : d.group.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                result.append(ReplayedAlert(rule: d.rule, window: d.window.label, windowStart: d.window.start, group: group, atLeast: d.atLeast))
            }
            day = day.next(in: zone)
        }
        return result.sorted()
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
