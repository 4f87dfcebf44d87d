import Foundation
import GRDB
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// What only the SQLite store has to show: its file, its durability
/// settings, its schema versions, and what survives reopening. What every
/// store must do is in StateStoreContractTests.
@Suite struct SignalStoreTests {
    @Test func createsAPrivateDatabaseInAPrivateFolder() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db, now: 0)
        _ = try store.count([file(1, [signal("sig-00001")])], now: 0, day: "2026-11-29")
        #expect(mode(scratch.db) == 0o600)
        #expect(mode(scratch.db + "-wal") == 0o600)
        #expect(mode(scratch.path + "/state") == 0o700)
        let journal = try store.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let sync = try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(sync == 2, "2 is FULL")
        // A checkpoint every 16,000 pages: a batch over weeks rewrites
        // ~7,000, and a checkpoint copies a page once (SignalStore.init).
        let checkpoint = try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        #expect(checkpoint == 16_000)
    }

    @Test func theKeyTheCountsAndTheCreationTimeSurviveReopening() throws {
        let scratch = Scratch()
        do {
            let store = try SignalStore(path: scratch.db, now: 500)
            _ = try store.count([file(1, [signal("sig-00001")])], now: 0, day: "d")
        }
        let store = try SignalStore(path: scratch.db, now: 9_999)
        #expect(try store.count([file(2, [signal("sig-00001")])], now: 0, day: "d") == [IngestOutcome(duplicates: 1)])
        #expect(try store.totalSignals() == 1)
        #expect(try store.createdAt() == 500, "the first opening's clock, not the wall's nor a later one")
    }

    @Test func idsAreStoredOnlyAsKeyedHashes() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db, now: 0)
        _ = try store.count([file(1, [signal("UNIQUE-ID-12345")])], now: 0, day: "d")
        try store.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.db))
        #expect(bytes.range(of: Data("UNIQUE-ID-12345".utf8)) == nil)
        let keyLength = try store.queue.read { try Int.fetchOne($0, sql: "SELECT length(key) FROM seen_signals") }
        #expect(keyLength == 16)
    }

    /// Two batches of ~100,000 entries are in memory at once (one
    /// gathered, one committing): an entry keeps its hour and week as its
    /// hour's number, not as two more words (`PreparedBatch.Entry`).
    @Test func aBatchEntryTakes56Bytes() {
        #expect(MemoryLayout<PreparedBatch.Entry>.stride == 56)
    }

    @Test func hoursAreFlooredAlsoBeforeTheEpoch() {
        #expect(SignalStore.hour(of: 7_199) == 1)
        #expect(SignalStore.hour(of: 7_200) == 2)
        #expect(SignalStore.hour(of: -1) == -1)
        #expect(SignalStore.hour(of: -3_600) == -1)
        #expect(SignalStore.hour(of: -3_601) == -2)
    }

    @Test func aDatabaseFromANewerVersionIsRefusedForGood() throws {
        let scratch = Scratch()
        do {
            let store = try SignalStore(path: scratch.db, now: 0)
            try store.queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v999')") }
        }
        let expected = StoreError(.newerSchema, "\(scratch.db) was written by a newer version of vertrouwd")
        #expect(throws: expected) { _ = try SignalStore(path: scratch.db, now: 0) }
        #expect(expected.isPermanent)
        #expect(!StoreError(.full, "").isPermanent && !StoreError(.busy, "").isPermanent && !StoreError(.corrupt, "").isPermanent)
    }

    @Test func aFileThatIsNotADatabaseIsReportedAsCorrupt() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: scratch.db))
        do {
            _ = try SignalStore(path: scratch.db, now: 0)
            Issue.record("opening garbage must fail")
        } catch {
            #expect(error.kind == .corrupt)
        }
    }

    @Test func anUnknownStoredRouteOrStateIsAnErrorNotADefault() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db, now: 0)
        try store.enqueue([message("a")])
        // Past the schema's CHECKs, as a hand edit or a bad restore could be.
        try store.queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE outbox_state SET route = 'pigeon'")
        }
        #expect(throws: StoreError(.corrupt, "an outbox entry has an unknown route")) { _ = try store.outbox() }
        try store.queue.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE outbox_state SET route = 'email', state = 'lost'")
        }
        #expect(throws: StoreError(.corrupt, "an outbox entry has an unknown state")) { _ = try store.outbox() }
    }
}
