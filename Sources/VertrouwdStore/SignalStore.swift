// SignalStore — the SQLite state of vertrouwd (DESIGN §4).
//
// Security stance: the database file and its WAL/SHM companions are mode
// 0600 (SQLite gives the companions the database file's mode); it holds
// hourly counts, keyed hashes of signal ids and file digests, never a
// signal's id or any producer text. Durability: WAL with synchronous=FULL,
// so a committed batch survives a power cut.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CSQLiteSettings
import GRDB
import Synchronization

/// The store on SQLite: what the daemon runs on (`StateStore`; its
/// in-memory twin is `MemoryStore`). One writer (the ingest loop) at a
/// time; other processes may read (WAL).
public final class SignalStore: StateStore {
    let queue: DatabaseQueue
    let dedupKey: Data
    /// Signals of this hour and later are remembered by SipHash tags, earlier
    /// ones by HMAC tags (`DedupHashing`, schema v9).
    let dedupSipFromHour: Int64
    /// The pupil key chain as stored (`PupilKeys.swift`); moved on by `shred`.
    let chain: Mutex<PupilChain>
    public let path: String

    /// Process-wide SQLite settings, for the daemon's entry point to call
    /// before anything opens a database (it has no effect after): memory
    /// statistics off, which SQLite otherwise keeps under a global mutex
    /// on every allocation.
    public static func prepareSQLite() {
        _ = vertrouwd_sqlite_memstatus_off()
    }

    /// Opens or creates the database at `path` (creating its folder, mode
    /// 0700, when missing) and brings its schema up to date.
    ///
    /// - Parameter now: UTC epoch seconds, recorded as the store's creation
    ///   time when it has none yet (the caller's clock, not the wall's).
    /// - Throws: `StoreError` of kind `.newerSchema` when a newer vertrouwd
    ///   wrote the database: this version must not touch it.
    public init(path: String, now: Int64) throws(StoreError) {
        self.path = path
        do {
            try Self.prepareFile(path)
            var config = Configuration()
            // WAL is set here rather than with `config.journalMode = .wal`,
            // which also sets synchronous=NORMAL: a power cut could then
            // lose the last committed batch after its files were unlinked.
            // Another process (a `vertrouwd summary` run, say) may hold the
            // write lock for a moment; wait rather than fail.
            config.busyMode = .timeout(5)
            config.prepareDatabase { db in
                if try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") != "wal" {
                    throw StoreError(.io, "cannot switch \(path) to WAL mode")
                }
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                // Deleted rows are overwritten, not left in free pages: a
                // shredded week's pupil ids must be gone from the file too.
                try db.execute(sql: "PRAGMA secure_delete = ON")
                // Keeps the de-duplication index's working set in memory.
                // 16 MiB: ingest looks keys up in index order (PreparedBatch),
                // so a batch sweeps the index once; 32 MiB bought no speed
                // on a 1,000,000-signal backlog and cost 16 MiB of RSS
                // (Benchmarks/RESULTS.md).
                try db.execute(sql: "PRAGMA cache_size = -16384")
                // A checkpoint after every 16,000 pages written (64 MiB)
                // rather than SQLite's 1,000: an ingest batch spread over
                // weeks rewrites thousands of pages (about 7,000 for the
                // 70,000 signals of a 16 MiB batch over three weeks), and a
                // checkpoint copies each page once however many commits
                // rewrote it. At 4,000 every such commit was followed by a
                // checkpoint; at 16,000 every second or third is, and a
                // 1,000,000-signal backlog made 339,000 → 288,000 page
                // writes and 191,000 → 140,000 page reads (`make bench` 8,
                // Benchmarks/RESULTS.md). The price is disk: the WAL file
                // grows to about 100 MB in such a backlog and keeps that
                // size while the daemon runs (it is reused, not appended).
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16000")
            }
            queue = try DatabaseQueue(path: path, configuration: config)
            let migrator = StoreSchema.migrator(now: now)
            try queue.write { db in
                if try migrator.hasBeenSuperseded(db) {
                    throw StoreError(.newerSchema, "\(path) was written by a newer version of vertrouwd")
                }
            }
            try migrator.migrate(queue)
            dedupKey = try queue.read { db in
                try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'dedup_key'")
            } ?? Data()
            guard dedupKey.count == 32 else { throw StoreError(.corrupt, "\(path) has no de-duplication key") }
            guard let sipFrom = try queue.read({ try Int64.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'dedup_sip_from_hour'") }) else {
                throw StoreError(.corrupt, "\(path) has no de-duplication hash switch")
            }
            dedupSipFromHour = sipFrom
            let stored = try queue.read { db -> PupilChain? in
                guard let secret = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'pupil_chain'"),
                      let week = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'pupil_chain_week'"),
                      secret.count == 32 else { return nil }
                return PupilChain(week: week, secret: Array(secret))
            }
            guard let stored else { throw StoreError(.corrupt, "\(path) has no pupil key chain") }
            chain = Mutex(stored)
            // When this store began: summaries of weeks before it are not sent.
            try queue.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?)",
                               arguments: [now])
            }
            for suffix in ["", "-wal", "-shm"] { chmod(path + suffix, 0o600) }
        } catch {
            throw StoreError(error)
        }
    }

    /// When the store was created (UTC epoch seconds).
    public func createdAt() throws(StoreError) -> Int64 {
        do {
            return try queue.read { try Int64.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'created_at'") } ?? 0
        } catch {
            throw StoreError(error)
        }
    }

    /// Creates the folder (0700) and an empty file (0600) before SQLite
    /// does, so that no moment exists where the database is world-readable.
    static func prepareFile(_ path: String) throws(StoreError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, access(folder, F_OK) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError(.cannotOpen, "cannot create \(folder): \(error.localizedDescription)")
            }
        }
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError(errno == EROFS ? .readOnly : errno == ENOSPC ? .full : .cannotOpen, "cannot open \(path): \(reason)")
        }
        fchmod(fd, 0o600)
        close(fd)
    }
}
