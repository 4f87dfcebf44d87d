import Foundation
import GRDB

// Outbox+Pending — how many messages wait and since when, for the health
// monitor and the STATUS line (issue 15 §1): one aggregate query instead
// of reading every entry with its text.
extension SignalStore {
    /// Pending outbox entries: how many, and the oldest one's creation time.
    public func pendingOutbox() throws(StoreError) -> (count: Int, oldest: Int64?) {
        do {
            return try queue.read { db in
                let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE state = 'pending'")
                return (count: row?["n"] ?? 0, oldest: row?["oldest"])
            }
        } catch {
            throw StoreError(error)
        }
    }
}

extension StateStore {
    /// Pending outbox entries: how many, and the oldest one's creation
    /// time; by one query on SQLite, else from `outbox()`.
    public func pendingOutboxSummary() throws(StoreError) -> (count: Int, oldest: Int64?) {
        if let store = self as? SignalStore { return try store.pendingOutbox() }
        let pending = try outbox().filter { $0.state == .pending }
        return (pending.count, pending.map(\.createdAt).min())
    }
}
