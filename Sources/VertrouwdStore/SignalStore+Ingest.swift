import Crypto
import Foundation
import GRDB
import GRDBSQLite
import VertrouwdCore

extension SignalStore {
    /// Prepares a batch file by file (see `StateStore.batchBuilder()`).
    public func batchBuilder(zone: TimeZone) -> PreparedBatch.Builder {
        PreparedBatch.Builder(hmac: HMAC<SHA256>(key: SymmetricKey(data: dedupKey)), chain: chain.withLock { $0 }, zone: zone)
    }

    /// Counts a prepared batch in one transaction (see
    /// `StateStore.commitCounting`): either every file of the batch is
    /// counted and recorded, or (on any error) none is.
    public func commitCounting(_ batch: PreparedBatch, rejectedFiles: [String], now: Int64, day: String) throws(StoreError) -> CommittedBatch {
        do {
            return try queue.write { db in
                try count(batch, rejectedFiles: rejectedFiles, in: db, now: now, day: day)
            }
        } catch {
            throw StoreError(error)
        }
    }

    private func count(_ batch: PreparedBatch, rejectedFiles: [String], in db: Database, now: Int64, day: String) throws -> CommittedBatch {
        let files = batch.files
        var outcomes = [IngestOutcome](repeating: IngestOutcome(), count: files.count)
        // Files counted before, or twice in this batch, add nothing.
        let known = try db.cachedStatement(sql: "SELECT 1 FROM processed_files WHERE digest = ?")
        var digests = Set<[UInt8]>()
        var counted = [Bool](repeating: false, count: files.count)
        for (i, file) in files.enumerated() {
            let seen = try !digests.insert(file.digest).inserted || Bool.fetchOne(known, arguments: [Data(file.digest)]) != nil
            if seen {
                outcomes[i].alreadyProcessed = true
            } else {
                counted[i] = true
            }
        }

        // Signal keys in key order (B-tree neighbours one after another); a
        // key seen twice keeps file order, so the first occurrence counts.
        // Buckets and sources are numbered by `prepare`: this loop, the
        // part that cannot run beside anything else, only adds integers.
        var bucketCounts = [Int](repeating: 0, count: batch.buckets.count)
        var pupils = PupilRows(batch)
        var acceptedBySource = [Int](repeating: 0, count: batch.sources.count)
        var duplicatesBySource = [Int](repeating: 0, count: batch.sources.count)
        let remember = try db.cachedStatement(sql: "INSERT OR IGNORE INTO seen_signals(hour, key) VALUES (?, ?)")
        for entry in batch.entries where counted[Int(entry.file)] {
            let file = Int(entry.file)
            guard try Self.insert(remember.sqliteStatement, hour: entry.hour, key: entry.key), db.changesCount == 1 else {
                outcomes[file].duplicates += 1
                duplicatesBySource[Int(entry.source)] += 1
                continue
            }
            let count = Int(entry.count)
            bucketCounts[Int(entry.bucket)] += count
            pupils.add(entry, of: batch)
            outcomes[file].accepted += count
            acceptedBySource[Int(entry.source)] += count
        }

        // Profile numbers (v5, v6) of the buckets and pupil rows counted.
        var profileKeys = pupils.profileKeys
        for (bucket, n) in zip(batch.buckets, bucketCounts) where n > 0 { profileKeys.insert(ProfileKey(bucket)) }
        let profiles = try PupilProfiles.ids(of: profileKeys, in: batch, db: db)

        // One upsert per bucket, in key order, whatever the number of signals.
        let add = try db.cachedStatement(sql: """
            INSERT INTO bucket_counts(hour, profile, severity, count) VALUES (?, ?, ?, ?)
            ON CONFLICT(hour, profile, severity) DO UPDATE SET count = count + excluded.count
            """)
        try Self.upsert(batch, counts: bucketCounts, profiles: profiles, with: add.sqliteStatement)

        var health: [HealthKey: Int] = [:]
        for (source, n) in zip(batch.sources, acceptedBySource) where n > 0 {
            health[HealthKey(source: source, reason: "accepted"), default: 0] += n
        }
        for (source, n) in zip(batch.sources, duplicatesBySource) where n > 0 {
            health[HealthKey(source: source, reason: "duplicate"), default: 0] += n
        }
        for (i, file) in files.enumerated() where counted[i] {
            // A rejected line's source is not trusted, so it is not recorded.
            for reason in file.rejections { health[HealthKey(source: "", reason: reason.rawValue), default: 0] += 1 }
        }
        for reason in rejectedFiles { health[HealthKey(source: "", reason: "file_" + reason), default: 0] += 1 }
        let addHealth = try db.cachedStatement(sql: """
            INSERT INTO health(day, source, reason, count) VALUES (?, ?, ?, ?)
            ON CONFLICT(day, source, reason) DO UPDATE SET count = count + excluded.count
            """)
        for (key, n) in health.sorted(by: { ($0.key.source, $0.key.reason) < ($1.key.source, $1.key.reason) }) {
            try addHealth.execute(arguments: [day, key.source, key.reason, n])
        }

        // Pupil rows by profile number (v5): (hour, profile, pupil) integers.
        let addPupil = try db.cachedStatement(sql: "INSERT OR IGNORE INTO pupils(hour, profile, pupil, week) VALUES (?, ?, ?, ?)")
        let addedPupils = try pupils.insert(batch, profiles: profiles, with: addPupil.sqliteStatement) { db.changesCount == 1 }

        let record = try db.cachedStatement(sql: "INSERT INTO processed_files(digest, processed_at) VALUES (?, ?)")
        for (i, file) in files.enumerated() where counted[i] {
            try record.execute(arguments: [Data(file.digest), now])
        }
        return CommittedBatch(outcomes: outcomes, addedPupils: addedPupils)
    }

    /// INSERT OR IGNORE of one (hour, key), bound straight from the prepared
    /// entry: GRDB's argument arrays cost more than the insert itself at a
    /// million signals. Returns true once the statement ran.
    private static func insert(_ statement: OpaquePointer, hour: Int64, key: DedupKey) throws -> Bool {
        sqlite3_reset(statement)
        var bytes = key
        let bound = withUnsafeBytes(of: &bytes) { raw in
            // SQLITE_TRANSIENT: SQLite copies the 16 bytes before returning.
            sqlite3_bind_int64(statement, 1, hour) == SQLITE_OK
                && sqlite3_bind_blob(statement, 2, raw.baseAddress, Int32(raw.count), unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)) == SQLITE_OK
        }
        try step(statement, bound: bound)
        return true
    }

    /// The bucket upserts of a batch, bound straight through SQLite's C
    /// API like the inserts above, in the table's key order (hour, profile,
    /// severity): severities are numbered in text order by `finish`.
    private static func upsert(_ batch: PreparedBatch, counts: [Int], profiles: [ProfileKey: Int64],
                               with statement: OpaquePointer) throws {
        var rows: [(bucket: Int, profile: Int64)] = []
        rows.reserveCapacity(counts.count)
        for (i, n) in counts.enumerated() where n > 0 {
            rows.append((i, profiles[ProfileKey(batch.buckets[i])]!))
        }
        rows.sort { a, b in
            let x = batch.buckets[a.bucket], y = batch.buckets[b.bucket]
            return (x.hour, a.profile, x.severity) < (y.hour, b.profile, y.severity)
        }
        try withTexts(of: batch, boundBy: statement) { texts in
            for (i, profile) in rows {
                let bucket = batch.buckets[i]
                sqlite3_reset(statement)
                let bound = sqlite3_bind_int64(statement, 1, bucket.hour) == SQLITE_OK
                    && sqlite3_bind_int64(statement, 2, profile) == SQLITE_OK
                    // SQLITE_STATIC (nil): the copy outlives the statement's use.
                    && sqlite3_bind_text(statement, 3, texts[PreparedBatch.Dimension.severity.rawValue][Int(bucket.severity)], -1, nil) == SQLITE_OK
                    && sqlite3_bind_int64(statement, 4, Int64(counts[i])) == SQLITE_OK
                try step(statement, bound: bound)
            }
        }
    }

    /// Runs `body` with the batch's text values copied to C once (per
    /// batch, not per row), for the upserts; the copies go after the
    /// statement's bindings are cleared.
    static func withTexts<R>(of batch: PreparedBatch, boundBy statement: OpaquePointer,
                             _ body: ([[UnsafeMutablePointer<CChar>]]) throws -> R) throws -> R {
        let texts = batch.values.map { $0.map { strdup($0)! } }
        defer {
            sqlite3_clear_bindings(statement) // before the copies go
            for dimension in texts { for text in dimension { free(text) } }
        }
        return try body(texts)
    }

    static func step(_ statement: OpaquePointer, bound: Bool) throws {
        let code = bound ? sqlite3_step(statement) : sqlite3_errcode(sqlite3_db_handle(statement))
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
            sqlite3_reset(statement)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
    }

    /// UTC hours since the epoch (floored, also before 1970).
    static func hour(of timestamp: Int64) -> Int64 {
        timestamp >= 0 ? timestamp / 3_600 : -((-timestamp + 3_599) / 3_600)
    }
}

struct HealthKey: Hashable {
    var source: String
    var reason: String
}
