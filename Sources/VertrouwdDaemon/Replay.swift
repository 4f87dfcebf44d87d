// Replay — what a config would have alerted over the stored history, for
// `vertrouwd replay`. Read-only: it never writes the store or the outbox.
// The day-by-day evaluation and the comparison are Core's
// (`ReplaySimulation`, `ReplayReport`); this file loads the history.
import Foundation
import VertrouwdCore
import VertrouwdStore

public enum Replay {
    /// What `configuration` would have alerted from `from` to `to` (epoch
    /// seconds), as the daemon would have evaluated.
    public static func alerts(of configuration: Configuration, store: some StateStore, from: Int64, to: Int64) throws -> [ReplayedAlert] {
        try alerts(of: configuration, history: History(store: store, configurations: [configuration], from: from, to: to), from: from, to: to)
    }

    /// The stored pupils (per hour and group) a replay reads, loaded once, so that two configs
    /// share one load.
    public struct History: Sendable {
        let index: BucketIndex
        /// The published tables of every week a rise rule reads (week label
        /// → tables; nil for a week without a summary).
        let published: [String: PublishedRise.Week]

        /// Loads every bucket that replaying any of `configurations` over
        /// [from, to] reads (`ReplaySimulation.hoursNeeded`), and the frozen
        /// summaries their rise rules read.
        public init(store: some StateStore, configurations: [Configuration], from: Int64, to: Int64) throws {
            let hours = ReplaySimulation.hoursNeeded(configurations.map(RuleEngine.init(configuration:)), from: from, to: to)
            index = BucketIndex(try hours.map { try store.pupilBuckets(hours: $0) } ?? [])
            var published: [String: PublishedRise.Week] = [:]
            for configuration in configurations {
                for (week, baseline) in Replay.riseWeeks(configuration, from: from, to: to) {
                    for w in [week] + baseline.flatMap(\.self) where published[w.label] == nil {
                        published[w.label] = .some(try store.publishedSummary(week: w.label).flatMap(FrozenSummary.tables))
                    }
                }
            }
            self.published = published
        }
    }

    /// `alerts(of:store:from:to:)` over a history loaded once.
    ///
    /// Rise rules are decided as the daemon decides them
    /// (`PublishedRise`): from the weekly summaries as they were
    /// published, for every week in the range that has one.
    public static func alerts(of configuration: Configuration, history: History, from: Int64, to: Int64) throws -> [ReplayedAlert] {
        var alerts = ReplaySimulation.alerts(engine: RuleEngine(configuration: configuration), index: history.index, from: from, to: to)
        let cells = SummaryCells(taxonomy: configuration.taxonomy)
        for (week, baselines) in riseWeeks(configuration, from: from, to: to) {
            guard let shown = history.published[week.label] ?? nil else { continue }
            let tables = Array(shown.values)
            for (rule, baseline) in zip(configuration.rules.filter(\.isRise), baselines) {
                alerts += PublishedRise.decisions(rule, week: week, thisWeek: tables,
                                                  baseline: baseline.map { history.published[$0.label] ?? nil },
                                                  cells: cells, policy: configuration.privacy).map(ReplayedAlert.init)
            }
        }
        return alerts.sorted()
    }

    /// The closed weeks in [from, to] and, per rise rule of
    /// `configuration` (in config order), each week's baseline weeks.
    static func riseWeeks(_ configuration: Configuration, from: Int64, to: Int64) -> [(week: Window, baselines: [[Window]])] {
        let rules = configuration.rules.filter(\.isRise)
        guard !rules.isEmpty else { return [] }
        let engine = RuleEngine(configuration: configuration)
        let zone = configuration.school.timeZone
        var result: [(week: Window, baselines: [[Window]])] = []
        var week = Window.containing(from, kind: .week, in: zone)
        while week.end <= to {
            result.append((week, rules.map { rule in
                guard case .rise(let n, _) = rule.kind else { return [] }
                return engine.weeks(before: week, count: n)
            }))
            week = week.next(in: zone)
        }
        return result
    }
}

extension Rule {
    /// A `rise` rule.
    var isRise: Bool {
        if case .rise = kind { true } else { false }
    }
}
