import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `vertrouwd backup FILE`, run as the built binary against a running
/// daemon, and the restore the README describes (stop, copy back, start).
extension Integration {
    @Suite struct BackupTests {
        /// Drops one-signal files into the spool until stopped.
        final class Dropper: @unchecked Sendable {
            let harness: DaemonHarness
            private let lock = NSLock()
            private var running = true
            private(set) var dropped = 0
            private let done = DispatchSemaphore(value: 0)

            init(_ harness: DaemonHarness) {
                self.harness = harness
                Thread.detachNewThread { [self] in
                    while locked({ running }) {
                        try? harness.drop(Lines.signal() + "\n")
                        locked { dropped += 1 }
                    }
                    done.signal()
                }
            }

            private func locked<T>(_ body: () -> T) -> T {
                lock.lock()
                defer { lock.unlock() }
                return body()
            }

            /// Stops dropping; the number of files dropped.
            func stop() -> Int {
                locked { running = false }
                done.wait()
                return locked { dropped }
            }
        }

        static func open(_ path: String) throws -> DatabaseQueue {
            var c = Configuration()
            c.readonly = true
            return try DatabaseQueue(path: path, configuration: c)
        }

        /// Every table's row count, and the signals counted.
        static func counts(_ path: String) throws -> [String: Int] {
            try open(path).read { db in
                var result: [String: Int] = [:]
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                    result[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"")
                }
                result["signals counted"] = try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM buckets")
                return result
            }
        }

        static func mode(_ path: String) -> mode_t {
            var st = stat()
            return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
        }

        @Test func aBackupWhileIngestingOpensAndMatchesTheStore() throws {
            let h = try DaemonHarness()
            try h.start()
            let dropper = Dropper(h)
            // Ingesting: signals are being counted when the backup starts.
            try waitUntil("signals are counted", timeout: 30) { try h.total() >= 20 }
            let during = h.root + "/during.db"
            let r = try Binary.run(["backup", "--config", h.configPath, during])
            let dropped = dropper.stop()
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("backed up \(h.statePath) to \(during) ("), "\(r.stdout)")
            #expect(Self.mode(during) == 0o600)
            // One self-contained file, consistent: it opens and passes SQLite's check.
            #expect(!FileManager.default.fileExists(atPath: during + "-wal"))
            let check = try Self.open(during).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
            #expect(check == "ok")
            let copied = try #require(try Self.counts(during)["signals counted"])

            try h.waitUntilDrained()
            try waitUntil("every dropped signal is counted", timeout: 30) { try h.total() == dropped }
            #expect(copied >= 20 && copied <= dropped, "copy has \(copied) of \(dropped)")

            // At rest, a backup has exactly the store's rows.
            let after = h.root + "/after.db"
            let again = try Binary.run(["backup", "--config", h.configPath, after])
            #expect(again.status == 0, "\(again.stderr)")
            let live = try Self.counts(h.statePath)
            #expect(try Self.counts(after) == live)
            #expect(live["signals counted"] == dropped)
            #expect(h.stop() == 0)
        }

        @Test func anExistingFileIsOnlyOverwrittenWithForce() throws {
            let h = try DaemonHarness()
            try h.start()
            try h.drop(Lines.signal() + "\n")
            try waitUntil("the signal is counted", timeout: 30) { try h.total() == 1 }
            let file = try h.dir.write("keep.db", "not a database\n", mode: 0o644).path
            let refused = try Binary.run(["backup", "--config", h.configPath, file])
            #expect(refused.status == 1)
            #expect(refused.stderr == "vertrouwd: backup failed: \(file) exists; use --force to overwrite it\n")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == "not a database\n")

            let forced = try Binary.run(["backup", "--config", h.configPath, "--force", file])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(Self.mode(file) == 0o600)
            #expect(try Self.counts(file)["signals counted"] == 1)
            // No partial copy is left beside it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: h.root).filter { $0.contains(".partial-") }.isEmpty)
            #expect(h.stop() == 0)

            // A missing state database is an error, and no file is made.
            let missing = h.root + "/nothing.db"
            let none = try Binary.run(["backup", "--state", h.root + "/no/state.db", missing])
            #expect(none.status == 2)
            #expect(none.stderr.contains("no state database at"))
            #expect(!FileManager.default.fileExists(atPath: missing))
        }

        /// The README's restore: stop, copy the backup over the database
        /// (mode 0600), start. The daemon counts on from the restored state,
        /// and the de-duplication key came back with it: a signal counted
        /// before the backup is still recognised when it is sent again.
        @Test func aRestoredBackupIsTheStateTheDaemonGoesOnFrom() throws {
            let h = try DaemonHarness()
            try h.start()
            let early = Lines.id()
            try h.drop([Lines.signal(id: early), Lines.signal(), Lines.signal()].joined(separator: "\n") + "\n")
            try waitUntil("3 signals are counted", timeout: 30) { try h.total() == 3 }
            let backup = h.root + "/backup.db"
            let r = try Binary.run(["backup", "--config", h.configPath, backup])
            #expect(r.status == 0, "\(r.stderr)")

            // Counted after the backup: lost by the restore, as a restore does.
            try h.drop(Lines.signal() + "\n")
            try waitUntil("4 signals are counted", timeout: 30) { try h.total() == 4 }
            #expect(h.stop() == 0)

            for suffix in ["", "-wal", "-shm"] { unlink(h.statePath + suffix) }
            try FileManager.default.copyItem(atPath: backup, toPath: h.statePath)
            chmod(h.statePath, 0o600)
            #expect(try h.total() == 3)

            try h.start()
            // One file is one transaction: the total moves from 3 to 4, or
            // to 5 if the re-sent signal were counted again.
            try h.drop([Lines.signal(id: early), Lines.signal()].joined(separator: "\n") + "\n")
            try waitUntil("the file is counted", timeout: 30) { try h.total() > 3 }
            #expect(try h.total() == 4, "the re-sent signal was counted twice after the restore")
            #expect(h.stop() == 0)
            #expect(Self.mode(h.statePath) == 0o600)
        }
    }
}
