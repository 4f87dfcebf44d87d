import Foundation
import GRDB

// Outbox+Pending — how many messages wait and since when, for the health
// monitor and the STATUS line (issue 15 §1): one aggregate query instead
// of reading every entry with its text; and the messages given up on each
// route since its last delivery, so that a restart does not forget a
// failing route.
extension SignalStore {
    /// Pending outbox entries: how many, and the oldest one's creation time.
    public func pendingOutbox() throws(StoreError) -> (count: Int, oldest: Int64?) {
        do {
            return try queue.read { db in
                let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, min(created_at) AS oldest FROM outbox_state WHERE state = 'pending'")
                return (count: row?["n"] ?? 0, oldest: row?["oldest"])
            }
        } catch {
            throw StoreError(error)
        }
    }
}

/// Messages given up on one route since its last delivery.
public struct GivenUp: Hashable, Sendable {
    public var count: Int
    /// The last one's reason.
    public var reason: String
    /// When the first of them was given up.
    public var since: Int64
}

extension SignalStore {
    /// Per route, the entries that failed after the route's last delivery.
    public func givenUpSinceLastDelivery() throws(StoreError) -> [OutboxEntry.Route: GivenUp] {
        do {
            return try queue.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT f.route, count(*) AS n, min(f.finished_at) AS since,
                        (SELECT last_error FROM outbox_state l WHERE l.route = f.route AND l.state = 'failed'
                         ORDER BY l.finished_at DESC LIMIT 1) AS reason
                    FROM outbox_state f
                    WHERE f.state = 'failed' AND f.finished_at > coalesce(
                        (SELECT max(d.finished_at) FROM outbox_state d WHERE d.route = f.route AND d.state = 'delivered'), -1)
                    GROUP BY f.route
                    """)
                var result: [OutboxEntry.Route: GivenUp] = [:]
                for row in rows {
                    guard let route = OutboxEntry.Route(rawValue: row["route"]) else { continue }
                    result[route] = GivenUp(count: row["n"], reason: row["reason"] ?? "", since: row["since"])
                }
                return result
            }
        } catch {
            throw StoreError(error)
        }
    }
}

extension StateStore {
    /// Per route, the messages given up since the route's last delivery
    /// (none when nothing failed after it).
    public func givenUpSinceLastDelivery() throws(StoreError) -> [OutboxEntry.Route: GivenUp] {
        if let store = self as? SignalStore { return try store.givenUpSinceLastDelivery() }
        guard let store = self as? MemoryStore else { return [:] }
        var result: [OutboxEntry.Route: GivenUp] = [:]
        let finished = store.finishedOutbox()
        for route in OutboxEntry.Route.allCases {
            let lastDelivered = finished.filter { $0.route == route && $0.delivered }.map(\.finishedAt).max() ?? -1
            let failed = finished.filter { $0.route == route && !$0.delivered && $0.finishedAt > lastDelivered }
                .sorted { $0.finishedAt < $1.finishedAt }
            if let first = failed.first, let last = failed.last {
                result[route] = GivenUp(count: failed.count, reason: last.reason, since: first.finishedAt)
            }
        }
        return result
    }

    /// Pending outbox entries: how many, and the oldest one's creation
    /// time; by one query on SQLite, else from `outbox()`.
    public func pendingOutboxSummary() throws(StoreError) -> (count: Int, oldest: Int64?) {
        if let store = self as? SignalStore { return try store.pendingOutbox() }
        let pending = try outbox().filter { $0.state == .pending }
        return (pending.count, pending.map(\.createdAt).min())
    }
}
