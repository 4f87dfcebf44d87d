import Foundation
import GRDB

extension SignalStore {
    /// Publishes a week's summary, frozen (P7). Returns false when that week
    /// was published before: the stored one stands and is never revised.
    /// The messages that send it are enqueued in the same transaction.
    public func publish(week: String, windowStart: Int64, json: String, messages: [OutboxEntry], alertKeys: [AlertLogKey],
                        definitions: [String: String],
                        now: Int64) throws(StoreError) -> Bool {
        do {
            return try queue.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO summaries(week, window_start, published_at, json) VALUES (?, ?, ?, ?)",
                               arguments: [week, windowStart, now, json])
                guard db.changesCount == 1 else { return false }
                for m in messages { try insert(m, in: db) }
                for key in alertKeys {
                    try db.execute(sql: """
                        INSERT OR IGNORE INTO alert_log(rule, window_start, group_key, band, decided_at, definition) VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [key.rule, key.windowStart, key.group, key.band, now, definitions[key.rule]])
                }
                return true
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// The frozen JSON of a published week, or nil.
    public func publishedSummary(week: String) throws(StoreError) -> String? {
        do {
            return try queue.read { try String.fetchOne($0, sql: "SELECT json FROM summaries WHERE week = ?", arguments: [week]) }
        } catch {
            throw StoreError(error)
        }
    }

    /// The most recently published week's window start, if any.
    public func lastPublishedWeekStart() throws(StoreError) -> Int64? {
        do {
            return try queue.read { try Int64.fetchOne($0, sql: "SELECT max(window_start) FROM summaries") }
        } catch {
            throw StoreError(error)
        }
    }
}

/// Published summaries read from a state database opened read-only, for
/// `vertrouwd report`: the database is never migrated or written, so the
/// report runs while the daemon runs (WAL lets both read), and a newer
/// binary can read an older daemon's database.
public enum PublishedSummaries {
    /// The frozen JSON of each of `weeks` that was published, by week
    /// label, all read in one transaction (one consistent moment).
    ///
    /// - Throws: `StoreError(.cannotOpen, …)` when there is no database at
    ///   `path`; other kinds as SQLite reports them (for a file that is not
    ///   a vertrouwd state database, the missing table).
    public static func read(path: String, weeks: [String]) throws(StoreError) -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.cannotOpen, "no state database at \(path)")
        }
        do {
            var readOnly = Configuration()
            readOnly.readonly = true
            readOnly.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: readOnly)
            defer { try? queue.close() }
            return try queue.read { db in
                var found: [String: String] = [:]
                for week in weeks {
                    if let json = try String.fetchOne(db, sql: "SELECT json FROM summaries WHERE week = ?", arguments: [week]) {
                        found[week] = json
                    }
                }
                return found
            }
        } catch {
            throw StoreError(error)
        }
    }
}
