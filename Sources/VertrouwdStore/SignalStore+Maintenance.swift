import Foundation
import GRDB

extension SignalStore {
    /// Removes what the config says may no longer be kept: buckets and
    /// health counters older than the retention, signal keys and file
    /// digests older than the de-duplication horizon.
    ///
    /// - Parameters:
    ///   - oldestDay: the first local day ("2025-11-29") whose health
    ///     counters are kept.
    public func purge(now: Int64, retentionSeconds: Int64, dedupHorizonSeconds: Int64, oldestDay: String) throws(StoreError) -> PurgeResult {
        do {
            return try queue.write { db in
                var result = PurgeResult()
                let oldest = Self.hour(of: now - retentionSeconds)
                try db.execute(sql: "DELETE FROM bucket_counts WHERE hour < ?", arguments: [oldest])
                result.buckets = db.changesCount
                try db.execute(sql: "DELETE FROM pupils WHERE hour < ?", arguments: [oldest])
                result.pupils = db.changesCount
                try db.execute(sql: "DELETE FROM pupil_weeks WHERE hour < ?", arguments: [oldest])
                result.pupils += db.changesCount
                try db.execute(sql: "DELETE FROM seen_signals WHERE hour < ?", arguments: [Self.hour(of: now - dedupHorizonSeconds)])
                result.seenSignals = db.changesCount
                try db.execute(sql: "DELETE FROM processed_files WHERE processed_at < ?", arguments: [now - dedupHorizonSeconds])
                result.processedFiles = db.changesCount
                try db.execute(sql: "DELETE FROM health WHERE day < ?", arguments: [oldestDay])
                result.healthDays = db.changesCount
                return result
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Removes old releases (see `StateStore.purgeReleases`). Deleted rows
    /// are overwritten (secure_delete), as every purge's.
    public func purgeReleases(before: Int64) throws(StoreError) -> ReleasePurgeResult {
        do {
            return try queue.write { db in
                var result = ReleasePurgeResult()
                try db.execute(sql: "DELETE FROM alert_log WHERE window_start < ?", arguments: [before])
                result.alerts = db.changesCount
                try db.execute(sql: """
                    DELETE FROM summaries WHERE window_start < ?
                    AND window_start < (SELECT max(window_start) FROM summaries)
                    """, arguments: [before])
                result.summaries = db.changesCount
                try db.execute(sql: "DELETE FROM outbox_state WHERE state != 'pending' AND created_at < ?", arguments: [before])
                result.messages = db.changesCount
                if result.messages > 0 {
                    try db.execute(sql: "DELETE FROM outbox_bodies WHERE id NOT IN (SELECT body FROM outbox_state)")
                }
                return result
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// The number of accepted signals stored (each with its count).
    public func totalSignals() throws(StoreError) -> Int64 {
        do {
            return try queue.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM bucket_counts") ?? 0 }
        } catch {
            throw StoreError(error)
        }
    }

    /// Health counters of one local day: (source, reason) → count.
    public func health(day: String) throws(StoreError) -> [String: [String: Int]] {
        do {
            return try queue.read { db in
                var result: [String: [String: Int]] = [:]
                let rows = try Row.fetchAll(db, sql: "SELECT source, reason, count FROM health WHERE day = ?", arguments: [day])
                for row in rows {
                    result[row["source"] as String, default: [:]][row["reason"] as String] = row["count"] as Int
                }
                return result
            }
        } catch {
            throw StoreError(error)
        }
    }
}
