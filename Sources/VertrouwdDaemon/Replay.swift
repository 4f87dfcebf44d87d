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

        /// Loads every bucket that replaying any of `configurations` over
        /// [from, to] reads (`ReplaySimulation.hoursNeeded`).
        public init(store: some StateStore, configurations: [Configuration], from: Int64, to: Int64) throws {
            let hours = ReplaySimulation.hoursNeeded(configurations.map(RuleEngine.init(configuration:)), from: from, to: to)
            index = BucketIndex(try hours.map { try store.pupilBuckets(hours: $0) } ?? [])
        }
    }

    /// `alerts(of:store:from:to:)` over a history loaded once.
    public static func alerts(of configuration: Configuration, history: History, from: Int64, to: Int64) throws -> [ReplayedAlert] {
        ReplaySimulation.alerts(engine: RuleEngine(configuration: configuration), index: history.index, from: from, to: to)
    }
}
