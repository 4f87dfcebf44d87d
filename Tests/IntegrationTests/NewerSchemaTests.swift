import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Integration {
    /// Issue 12: a state database written by a newer vertrouwd stops the
    /// daemon with a clear message and exit status 78 (EX_CONFIG), which
    /// vertrouwd.service does not restart on — instead of retrying for ever.
    @Suite struct NewerSchemaTests {
        @Test func aStoreFromANewerVersionStopsTheDaemonWithStatus78() throws {
            // A real store, made by the daemon, copied, and marked as
            // migrated by a version this binary does not know.
            let made = try DaemonHarness()
            try made.start()
            #expect(made.stop() == 0)
            let h = try DaemonHarness()
            try FileManager.default.createDirectory(atPath: h.root + "/state", withIntermediateDirectories: true)
            // With its WAL: the last commits may not be checkpointed yet.
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: made.statePath + suffix) {
                try FileManager.default.copyItem(atPath: made.statePath + suffix, toPath: h.statePath + suffix)
            }
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v999')") }
            try db.close()

            let p = Process()
            p.executableURL = Binary.url
            p.arguments = ["run", "--config", h.configPath]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = Pipe()
            try p.run()
            defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
            try waitUntil("the daemon exits", timeout: 30) { !p.isRunning }
            p.waitUntilExit()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus == 78, "EX_CONFIG, not a restart loop: \(stderr)")
            #expect(stderr.contains("cannot use the state database: \(h.statePath) was written by a newer version of vertrouwd; upgrade vertrouwd or restore a backup of the database"), "\(stderr)")
            #expect(!stderr.contains("ready: watching the spool"), "it stops before it starts work")
            // The database is left as it was found.
            let after = try DatabaseQueue(path: h.statePath)
            let versions = try after.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
            #expect(versions == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v999"])
        }

        /// The same store, migrated by a newer version while this daemon
        /// runs (an upgrade that ran the new binary before restarting the
        /// service): the next pass stops the daemon the same way, instead
        /// of counting into a schema it does not know or retrying for ever.
        @Test func aStoreMigratedByANewerVersionWhileRunningStopsTheDaemonWithStatus78() throws {
            let h = try DaemonHarness()
            try h.start(arguments: ["--log-level", "debug"])
            // The daemon may be writing (its first pass): wait for the lock.
            var waiting = Configuration()
            waiting.busyMode = .timeout(10)
            let db = try DatabaseQueue(path: h.statePath, configuration: waiting)
            try db.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v999')") }
            try db.close()
            // A new file starts a pass.
            try h.drop(Lines.signal() + "\n")
            try waitUntil("the daemon exits", timeout: 30) { !(h.process?.isRunning ?? false) }
            let status = h.stop()
            let log = h.log
            #expect(status == 78, "EX_CONFIG, not a retry loop: \(log)")
            #expect(log.contains("cannot use the state database: \(h.statePath) was written by a newer version of vertrouwd; upgrade vertrouwd or restore a backup of the database"), "\(log)")
            #expect(!log.contains("degraded"), "\(log)")
            // Nothing was counted into the newer schema: the file waits.
            #expect(h.entries("new").count + h.entries("cur").count == 1)
            #expect(try h.total() == 0)
        }

        @Test func theUnitDoesNotRestartOnThatStatus() throws {
            let unit = try String(contentsOf: Binary.repositoryRoot.appendingPathComponent("systemd/vertrouwd.service.in"), encoding: .utf8)
            #expect(unit.split(separator: "\n").contains("RestartPreventExitStatus=78"))
        }
    }
}
