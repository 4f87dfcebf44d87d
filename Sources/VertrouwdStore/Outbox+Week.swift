import Foundation
import GRDB

// Outbox+Week — per route, how many outbox entries were delivered and how
// many given up in a span of time, for IT's weekly health report (issue 15
// §3, s7-health): one aggregate query on SQLite, no message text read.

/// One route's settled entries in a span.
public struct SettledCounts: Hashable, Sendable {
    public var delivered = 0
    /// Failed for good (too old, or refused).
    public var givenUp = 0

    public init(delivered: Int = 0, givenUp: Int = 0) {
        self.delivered = delivered
        self.givenUp = givenUp
    }
}

extension SignalStore {
    /// Per route, the entries delivered and given up whose last attempt
    /// falls in [from, to). A route with none is left out.
    public func settledDeliveries(from: Int64, to: Int64) throws(StoreError) -> [OutboxEntry.Route: SettledCounts] {
        do {
            return try queue.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT route, sum(state = 'delivered') AS delivered, sum(state = 'failed') AS failed
                    FROM outbox_state WHERE state IN ('delivered', 'failed') AND finished_at >= ? AND finished_at < ?
                    GROUP BY route
                    """, arguments: [from, to])
                var result: [OutboxEntry.Route: SettledCounts] = [:]
                for row in rows {
                    guard let route = OutboxEntry.Route(rawValue: row["route"]) else { continue }
                    result[route] = SettledCounts(delivered: row["delivered"] ?? 0, givenUp: row["failed"] ?? 0)
                }
                return result
            }
        } catch {
            throw StoreError(error)
        }
    }
}

extension StateStore {
    /// Per route, the entries delivered and given up whose last attempt
    /// falls in [from, to); by one query on SQLite, else from the
    /// in-memory store's finished entries.
    public func settledDeliveries(from: Int64, to: Int64) throws(StoreError) -> [OutboxEntry.Route: SettledCounts] {
        if let store = self as? SignalStore { return try store.settledDeliveries(from: from, to: to) }
        guard let store = self as? MemoryStore else { return [:] }
        var result: [OutboxEntry.Route: SettledCounts] = [:]
        for f in store.finishedOutbox() where from <= f.finishedAt && f.finishedAt < to {
            if f.delivered { result[f.route, default: .init()].delivered += 1 } else { result[f.route, default: .init()].givenUp += 1 }
        }
        return result
    }
}
