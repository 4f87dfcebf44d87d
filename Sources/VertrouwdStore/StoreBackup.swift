// StoreBackup — a consistent copy of the state database while the daemon
// runs (`vertrouwd backup FILE`).
//
// SQLite's online backup API copies the database as one read transaction
// sees it: in WAL mode the daemon keeps writing meanwhile, and the copy is
// the state of one moment, never half a batch. The source is opened
// read-only and never migrated, so a newer binary can back up the database
// of the older daemon still running (the upgrade order in README.md).
//
// Security stance: the copy holds what the state database holds (counts,
// keyed hashes, the outbox), so it is created mode 0600 before a byte is
// written, in the destination's folder, and only then renamed (or, without
// `replace`, hard-linked) to its name: no moment exists where a partial or
// world-readable copy carries the final name.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

/// What one backup did, for the command's report.
public struct StoreBackupResult: Sendable, Equatable {
    /// Pages copied (SQLite's page count of the copy).
    public var pages: Int
    /// Bytes of the finished copy.
    public var bytes: Int
}

public enum StoreBackup {
    /// Copies the database at `source` into a new file at `destination`.
    ///
    /// - Parameter replace: overwrite an existing `destination`; without it
    ///   an existing file is an error and is left untouched.
    /// - Throws: `StoreError(.cannotOpen, …)` when `source` is missing or
    ///   `destination` exists; other kinds as SQLite reports them.
    public static func copy(from source: String, to destination: String, replace: Bool) throws(StoreError) -> StoreBackupResult {
        guard access(source, F_OK) == 0 else {
            throw StoreError(.cannotOpen, "no state database at \(source)")
        }
        if !replace, access(destination, F_OK) == 0 {
            throw StoreError(.cannotOpen, "\(destination) exists; use --force to overwrite it")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        let name = (destination as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(name).partial-\(getpid())"
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw StoreError(errno == ENOSPC ? .full : errno == EROFS ? .readOnly : .cannotOpen,
                             "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        close(fd)
        var placed = false
        defer { if !placed { unlink(temporary) } }
        let result: StoreBackupResult
        do {
            var readOnly = Configuration()
            readOnly.readonly = true
            readOnly.busyMode = .timeout(10)
            let reader = try DatabaseQueue(path: source, configuration: readOnly)
            let writer = try DatabaseQueue(path: temporary)
            try reader.backup(to: writer)
            // The copy is one self-contained file: no -wal or -shm beside it.
            // The daemon switches a restored copy back to WAL when it opens it.
            let pages = try writer.writeWithoutTransaction { db -> Int in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                guard try String.fetchOne(db, sql: "PRAGMA quick_check") == "ok" else {
                    throw StoreError(.corrupt, "the copy fails SQLite's quick_check")
                }
                return try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            }
            try writer.close()
            try reader.close()
            result = StoreBackupResult(pages: pages, bytes: Self.size(of: temporary))
        } catch {
            throw StoreError(error)
        }
        try Self.sync(temporary)
        if replace {
            guard rename(temporary, destination) == 0 else {
                throw StoreError(.io, "cannot rename the copy to \(destination): \(String(cString: strerror(errno)))")
            }
        } else {
            // link(2) fails when the name was taken meanwhile: never overwrite.
            guard link(temporary, destination) == 0 else {
                let reason = errno == EEXIST ? "it exists; use --force to overwrite it" : String(cString: strerror(errno))
                throw StoreError(.cannotOpen, "cannot create \(destination): \(reason)")
            }
            unlink(temporary)
        }
        placed = true
        try Self.sync(folder.isEmpty ? "." : folder)
        return result
    }

    static func size(of path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// fsync(2) of a file or folder, so the copy survives a power cut.
    static func sync(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError(.io, "cannot sync \(path): \(String(cString: strerror(errno)))") }
    }
}
