import GRDB

/// One stored bucket: a UTC hour and a group, with its count.
public struct StoredBucket: Hashable, Sendable {
    /// UTC hours since the epoch.
    public var hour: Int64
    public var category: String
    /// "" when the signals did not say.
    public var site: String
    public var cohort: String
    public var channel: String
    public var severity: String
    public var count: Int

    public init(hour: Int64, category: String, site: String, cohort: String, channel: String, severity: String, count: Int) {
        self.hour = hour
        self.category = category
        self.site = site
        self.cohort = cohort
        self.channel = channel
        self.severity = severity
        self.count = count
    }
}

extension SignalStore {
    /// The buckets whose hour lies in `hours`, one at a time from a
    /// cursor, in key order (see `StateStore.forEachBucket`).
    public func forEachBucket(hours: Range<Int64>, _ body: (StoredBucket) -> Void) throws(StoreError) {
        do {
            try queue.read { db in
                // Rows come by (hour, profile, severity); an hour's rows are
                // put in text order, the order before v6 (`ProfileText`).
                let profiles = try PupilProfiles.all(db)
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT hour, profile, severity, count FROM bucket_counts
                    WHERE hour >= ? AND hour < ? ORDER BY hour, profile, severity
                    """, arguments: [hours.lowerBound, hours.upperBound])
                var hour: Int64?
                var group: [(profile: ProfileText, severity: String, count: Int)] = []
                func flush() {
                    guard let hour else { return }
                    group.sort { a, b in
                        a.profile != b.profile ? a.profile.precedes(b.profile) : a.severity.utf8.lexicographicallyPrecedes(b.severity.utf8)
                    }
                    for (p, severity, count) in group {
                        body(StoredBucket(hour: hour, category: p.category, site: p.site, cohort: p.cohort,
                                          channel: p.channel, severity: severity, count: count))
                    }
                    group.removeAll(keepingCapacity: true)
                }
                while let row = try rows.next() {
                    // By position: looking columns up by name costs more
                    // than the rest of the read (a replay reads ~10⁵ rows).
                    let h: Int64 = row[0]
                    if h != hour {
                        flush()
                        hour = h
                    }
                    let profile: Int64 = row[1]
                    guard let text = profiles[profile] else {
                        throw StoreError(.corrupt, "\(path) has a bucket of an unknown profile")
                    }
                    group.append((text, row[2], row[3]))
                }
                flush()
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Health counters of the local days in `days` (inclusive ISO dates):
    /// reason → count, summed over sources and days.
    public func health(days: ClosedRange<String>) throws(StoreError) -> [String: Int] {
        do {
            return try queue.read { db in
                var result: [String: Int] = [:]
                let rows = try Row.fetchAll(db, sql: "SELECT reason, sum(count) AS n FROM health WHERE day >= ? AND day <= ? GROUP BY reason",
                                            arguments: [days.lowerBound, days.upperBound])
                for row in rows { result[row["reason"]] = row["n"] }
                return result
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Outbox entries given up (failed) whose last attempt falls in [from, to).
    public func failedDeliveries(from: Int64, to: Int64) throws(StoreError) -> Int {
        do {
            return try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox_state WHERE state = 'failed' AND finished_at >= ? AND finished_at < ?", arguments: [from, to]) ?? 0 }
        } catch {
            throw StoreError(error)
        }
    }
}
