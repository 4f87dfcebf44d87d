import Crypto
import Foundation
import GRDB
import GRDBSQLite
import VertrouwdCore

extension SignalStore {
    /// Prepares a batch file by file (see `StateStore.batchBuilder()`).
    public func batchBuilder(zone: TimeZone) -> PreparedBatch.Builder {
        PreparedBatch.Builder(dedup: DedupHashing(installKey: dedupKey, sipFromHour: dedupSipFromHour),
                              chain: chain.withLock { $0 }, zone: zone)
    }

    /// Counts a prepared batch in one transaction (see
    /// `StateStore.commitCounting`): either every file of the batch is
    /// counted and recorded, or (on any error) none is.
    public func commitCounting(_ batch: PreparedBatch, rejectedFiles: [String], now: Int64, day: String) throws(StoreError) -> CommittedBatch {
        do {
            do {
                return try queue.write { db in
                    try count(batch, rejectedFiles: rejectedFiles, in: db, now: now, day: day, keysPerInsert: Self.rowsPerInsert)
                }
            } catch is KnownKey {
                // A signal counted by an earlier batch: its whole transaction
                // rolled back; again with one key per insert, which tells
                // which signal was known.
                return try queue.write { db in
                    try count(batch, rejectedFiles: rejectedFiles, in: db, now: now, day: day, keysPerInsert: 1)
                }
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Rows one INSERT writes in the ingest transaction. One statement per
    /// row spent about a quarter of SQLite's time on the statement itself
    /// (reset, bind, step, halt) rather than on the B-tree: 1,050,000 keys
    /// in 15 transactions took 2.15 s of CPU one by one and 1.65 s fifty at
    /// a time (a C program on the store's pragmas, 2026-12-03).
    static let rowsPerInsert = 50

    /// A multi-row insert of de-duplication keys inserted fewer rows than
    /// it had: a key was already stored, and which one cannot be told.
    /// The batch is then counted twice over (rolled back, then key by
    /// key): a batch with a re-sent signal costs about double, and such
    /// batches are rare (a producer that retries sends the same file,
    /// which `processed_files` catches before any key is looked at).
    private struct KnownKey: Error {}

    /// - Parameter keysPerInsert: 1, or `rowsPerInsert`: then a key that
    ///   is already stored (a signal counted before) throws `KnownKey`,
    ///   and the caller rolls back and counts again with 1.
    private func count(_ batch: PreparedBatch, rejectedFiles: [String], in db: Database, now: Int64, day: String,
                       keysPerInsert: Int) throws -> CommittedBatch {
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
        let isNew = try remember(batch, counted: counted, in: db, keysPerInsert: keysPerInsert)
        // Buckets and sources are numbered by `prepare`: this loop, the
        // part that cannot run beside anything else, only adds integers.
        var bucketCounts = [Int](repeating: 0, count: batch.buckets.count)
        var pupils = PupilRows(batch)
        var acceptedBySource = [Int](repeating: 0, count: batch.sources.count)
        var duplicatesBySource = [Int](repeating: 0, count: batch.sources.count)
        for (i, entry) in batch.entries.enumerated() where counted[Int(entry.file)] {
            let file = Int(entry.file)
            guard isNew[i] else {
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
        var usedProfiles = [Bool](repeating: false, count: batch.profiles.count)
        for (b, n) in bucketCounts.enumerated() where n > 0 { usedProfiles[Int(batch.profileOfBucket[b])] = true }
        pupils.markProfiles(&usedProfiles)
        let profiles = try PupilProfiles.ids(of: usedProfiles, in: batch, db: db)

        // One upsert per bucket, in key order, whatever the number of signals.
        try Self.upsert(batch, counts: bucketCounts, profiles: profiles, in: db)

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
        // `sqlite3_changes` itself: GRDB's `changesCount` checks its
        // scheduling on every call (~460 instructions, once per row here).
        let handle = sqlite3_db_handle(addPupil.sqliteStatement)
        let addedPupils = try pupils.insert(batch, profiles: profiles, with: addPupil.sqliteStatement) { sqlite3_changes(handle) == 1 }

        let record = try db.cachedStatement(sql: "INSERT INTO processed_files(digest, processed_at) VALUES (?, ?)")
        for (i, file) in files.enumerated() where counted[i] {
            try record.execute(arguments: [Data(file.digest), now])
        }
        return CommittedBatch(outcomes: outcomes, addedPupils: addedPupils)
    }

    /// Stores the (hour, key) of every entry of a counted file; returns,
    /// by entry, whether its key was new. A key twice in the batch is
    /// stored once, by its first entry (entries are in key order, ties in
    /// file order). Keys are bound straight from the prepared entries:
    /// GRDB's argument arrays cost more than the insert itself at a
    /// million signals.
    private func remember(_ batch: PreparedBatch, counted: [Bool], in db: Database, keysPerInsert: Int) throws -> [Bool] {
        var isNew = [Bool](repeating: false, count: batch.entries.count)
        var fresh: [Int] = []
        fresh.reserveCapacity(batch.entries.count)
        var last: (hour: Int64, key: DedupKey)?
        for (i, entry) in batch.entries.enumerated() where counted[Int(entry.file)] {
            let hour = batch.hour(of: entry)
            if let last, last.hour == hour, last.key == entry.key { continue }
            last = (hour, entry.key)
            fresh.append(i)
        }
        let insert = "INSERT OR IGNORE INTO seen_signals(hour, key) VALUES "
        let one = try db.cachedStatement(sql: insert + Self.tuples("(?, ?)", count: 1)).sqliteStatement
        let handle = sqlite3_db_handle(one)
        var start = 0
        if keysPerInsert > 1 {
            let many = try db.cachedStatement(sql: insert + Self.tuples("(?, ?)", count: keysPerInsert)).sqliteStatement
            while start + keysPerInsert <= fresh.count {
                sqlite3_reset(many)
                var bound = true
                for j in 0..<keysPerInsert {
                    let entry = batch.entries[fresh[start + j]]
                    bound = bound && Self.bind(many, at: Int32(2 * j + 1), hour: batch.hour(of: entry), key: entry.key)
                }
                try Self.step(many, bound: bound)
                guard sqlite3_changes(handle) == Int32(keysPerInsert) else { throw KnownKey() }
                for j in 0..<keysPerInsert { isNew[fresh[start + j]] = true }
                start += keysPerInsert
            }
        }
        // One by one: the rest, or every key when one was known before.
        for i in fresh[start...] {
            sqlite3_reset(one)
            let entry = batch.entries[i]
            try Self.step(one, bound: Self.bind(one, at: 1, hour: batch.hour(of: entry), key: entry.key))
            isNew[i] = sqlite3_changes(handle) == 1
        }
        return isNew
    }

    /// The VALUES list of a `count`-row insert: `tuple` that many times.
    private static func tuples(_ tuple: String, count: Int) -> String {
        repeatElement(tuple, count: count).joined(separator: ", ")
    }

    /// Binds (hour, key) to parameters `index` and `index + 1`.
    private static func bind(_ statement: OpaquePointer, at index: Int32, hour: Int64, key: DedupKey) -> Bool {
        var bytes = key
        return withUnsafeBytes(of: &bytes) { raw in
            // SQLITE_TRANSIENT: SQLite copies the 16 bytes before returning.
            sqlite3_bind_int64(statement, index, hour) == SQLITE_OK
                && sqlite3_bind_blob(statement, index + 1, raw.baseAddress, Int32(raw.count),
                                     unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)) == SQLITE_OK
        }
    }

    /// The bucket upserts of a batch, bound straight through SQLite's C
    /// API like the inserts above, in the table's key order (hour, profile,
    /// severity): severities are numbered in text order by `finish`.
    private static func upsert(_ batch: PreparedBatch, counts: [Int], profiles: [Int64], in db: Database) throws {
        // Buckets come in (hour, texts, severity) order; each hour's are
        // put in (profile, severity) order as small keys.
        let counted = counts.indices.filter { counts[$0] > 0 }
        var rows = counted.map { i in
            (profile: profiles[Int(batch.profileOfBucket[i])], severity: batch.buckets[i].severity, bucket: Int32(i))
        }
        sortWithinRuns(&rows, run: { batch.buckets[Int($0.bucket)].hour },
                       by: { a, b in (a.profile, a.severity) < (b.profile, b.severity) })
        // `rowsPerInsert` rows a statement, the rest one by one.
        let insert = "INSERT INTO bucket_counts(hour, profile, severity, count) VALUES "
        let conflict = " ON CONFLICT(hour, profile, severity) DO UPDATE SET count = count + excluded.count"
        let one = try db.cachedStatement(sql: insert + tuples("(?, ?, ?, ?)", count: 1) + conflict).sqliteStatement
        let many = try db.cachedStatement(sql: insert + tuples("(?, ?, ?, ?)", count: rowsPerInsert) + conflict).sqliteStatement
        // SQLITE_STATIC (nil): the copies outlive the statements' use.
        let severities = batch.values[PreparedBatch.Dimension.severity.rawValue].map { strdup($0)! }
        defer {
            for statement in [one, many] { sqlite3_clear_bindings(statement) } // before the copies go
            for text in severities { free(text) }
        }
        var start = 0
        while start < rows.count {
            let n = rows.count - start >= rowsPerInsert ? rowsPerInsert : 1
            let statement = n == 1 ? one : many
            sqlite3_reset(statement)
            var bound = true
            for j in 0..<n {
                let (profile, _, i) = rows[start + j]
                let bucket = batch.buckets[Int(i)]
                let at = Int32(4 * j)
                bound = bound
                    && sqlite3_bind_int64(statement, at + 1, bucket.hour) == SQLITE_OK
                    && sqlite3_bind_int64(statement, at + 2, profile) == SQLITE_OK
                    && sqlite3_bind_text(statement, at + 3, severities[Int(bucket.severity)], -1, nil) == SQLITE_OK
                    && sqlite3_bind_int64(statement, at + 4, Int64(counts[Int(i)])) == SQLITE_OK
            }
            try step(statement, bound: bound)
            start += n
        }
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
