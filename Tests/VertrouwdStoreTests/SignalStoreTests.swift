import Foundation
import GRDB
import Testing
import VertrouwdCore
@testable import VertrouwdStore

#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder per test, removed afterwards.
final class Scratch {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "vertrouwd-store-\(UUID().uuidString)"
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var db: String { path + "/state/state.db" }
}

func signal(_ id: String, at ts: Int64 = 1_764_410_400, category: String = "grooming", count: Int = 1,
            site: String? = "hoofdgebouw", source: String = "webfilter") -> Signal {
    Signal(id: id, timestamp: ts, source: source, category: category, site: site, cohort: nil, channel: "instagram",
           severity: .medium, count: count)
}

func digest(_ n: Int) -> [UInt8] {
    var d = [UInt8](repeating: 0, count: 32)
    withUnsafeBytes(of: UInt64(n).bigEndian) { for (i, b) in $0.enumerated() { d[24 + i] = b } }
    return d
}

func mode(_ path: String) -> mode_t {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode & 0o777 : 0
}

@Suite struct SignalStoreTests {
    @Test func createsAPrivateDatabaseInAPrivateFolder() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        _ = try store.commit([IngestFile(digest: digest(1), signals: [signal("sig-00001")], rejections: [])], now: 0, day: "2026-11-29")
        #expect(mode(scratch.db) == 0o600)
        #expect(mode(scratch.db + "-wal") == 0o600)
        #expect(mode(scratch.path + "/state") == 0o700)
        let journal = try store.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let sync = try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(sync == 2, "2 is FULL")
    }

    @Test func sumOfCountsIsExactlyTheAcceptedSignals() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        let files = [
            IngestFile(digest: digest(1), signals: [signal("sig-00001"), signal("sig-00002", count: 7)], rejections: [.badTimestamp]),
            IngestFile(digest: digest(2), signals: [signal("sig-00003", category: "sextortion.payment", site: nil)], rejections: []),
        ]
        let outcomes = try store.commit(files, now: 1_764_410_500, day: "2026-11-29")
        #expect(outcomes == [IngestOutcome(accepted: 8), IngestOutcome(accepted: 1)])
        #expect(try store.totalSignals() == 9)
        let health = try store.health(day: "2026-11-29")
        #expect(health["webfilter"]?["accepted"] == 9)
        #expect(health[""]?["bad_timestamp"] == 1)
        // Two signals in the same hour and group share one bucket.
        let rows = try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM buckets") }
        #expect(rows == 2)
    }

    @Test func aSignalSeenBeforeIsNotCountedAgain() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        _ = try store.commit([IngestFile(digest: digest(1), signals: [signal("sig-00001")], rejections: [])], now: 0, day: "d")
        let again = try store.commit([IngestFile(digest: digest(2), signals: [signal("sig-00001"), signal("sig-00002")], rejections: [])], now: 0, day: "d")
        #expect(again == [IngestOutcome(accepted: 1, duplicates: 1)])
        // The same id from another source is another signal.
        let other = try store.commit([IngestFile(digest: digest(3), signals: [signal("sig-00001", source: "chatguard")], rejections: [])], now: 0, day: "d")
        #expect(other == [IngestOutcome(accepted: 1)])
        #expect(try store.totalSignals() == 3)
        #expect(try store.health(day: "d")["webfilter"]?["duplicate"] == 1)
    }

    @Test func theSameFileIsCountedOnceAlsoWithinOneBatch() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        let file = IngestFile(digest: digest(9), signals: [signal("sig-00001")], rejections: [])
        let outcomes = try store.commit([file, file], now: 0, day: "d")
        #expect(outcomes == [IngestOutcome(accepted: 1), IngestOutcome(alreadyProcessed: true)])
        #expect(try store.commit([file], now: 0, day: "d") == [IngestOutcome(alreadyProcessed: true)])
        #expect(try store.hasProcessed(digest: digest(9)))
        #expect(try !store.hasProcessed(digest: digest(10)))
        #expect(try store.totalSignals() == 1)
    }

    @Test func theKeyAndTheCountsSurviveReopening() throws {
        let scratch = Scratch()
        do {
            let store = try SignalStore(path: scratch.db)
            _ = try store.commit([IngestFile(digest: digest(1), signals: [signal("sig-00001")], rejections: [])], now: 0, day: "d")
        }
        let store = try SignalStore(path: scratch.db)
        let again = try store.commit([IngestFile(digest: digest(2), signals: [signal("sig-00001")], rejections: [])], now: 0, day: "d")
        #expect(again == [IngestOutcome(duplicates: 1)])
        #expect(try store.totalSignals() == 1)
    }

    @Test func idsAreStoredOnlyAsKeyedHashes() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        _ = try store.commit([IngestFile(digest: digest(1), signals: [signal("UNIQUE-ID-12345")], rejections: [])], now: 0, day: "d")
        try store.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.db))
        #expect(bytes.range(of: Data("UNIQUE-ID-12345".utf8)) == nil)
        let keyLength = try store.queue.read { try Int.fetchOne($0, sql: "SELECT length(key) FROM seen_signals") }
        #expect(keyLength == 16)
    }

    @Test func hoursAreFlooredAlsoBeforeTheEpoch() {
        #expect(SignalStore.hour(of: 7_199) == 1)
        #expect(SignalStore.hour(of: 7_200) == 2)
        #expect(SignalStore.hour(of: -1) == -1)
        #expect(SignalStore.hour(of: -3_600) == -1)
        #expect(SignalStore.hour(of: -3_601) == -2)
    }

    @Test func purgeRemovesOnlyWhatIsOlderThanItsLimit() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        let week: Int64 = 604_800
        let now: Int64 = 1_764_410_400
        _ = try store.commit([
            IngestFile(digest: digest(1), signals: [signal("old-signal", at: now - 110 * week)], rejections: []),
            IngestFile(digest: digest(2), signals: [signal("new-signal", at: now - 3_600)], rejections: []),
        ], now: now - 9 * 86_400, day: "2024-10-01")
        let result = try store.purge(now: now, retentionSeconds: 104 * week, dedupHorizonSeconds: 8 * 86_400, oldestDay: "2024-11-30")
        #expect(result.buckets == 1)
        #expect(result.seenSignals == 1, "the old signal's key is past the horizon, the new one's is not")
        #expect(result.processedFiles == 2)
        #expect(result.healthDays >= 1)
        #expect(try store.totalSignals() == 1)
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let scratch = Scratch()
        do {
            let store = try SignalStore(path: scratch.db)
            try store.queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v999')") }
        }
        #expect(throws: StoreError(.newerSchema, "\(scratch.db) was written by a newer version of vertrouwd")) {
            _ = try SignalStore(path: scratch.db)
        }
    }

    @Test func aFileThatIsNotADatabaseIsReportedAsCorrupt() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: scratch.db))
        do {
            _ = try SignalStore(path: scratch.db)
            Issue.record("opening garbage must fail")
        } catch {
            #expect(error.kind == .corrupt)
        }
    }
}

@Suite struct StoreHealthTests {
    @Test func filesRejectedWholeAreCountedPerReason() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        _ = try store.commit([], rejectedFiles: ["symlink", "oversize", "symlink"], now: 0, day: "d")
        #expect(try store.health(day: "d")[""] == ["file_symlink": 2, "file_oversize": 1])
        #expect(try store.totalSignals() == 0)
    }
}

@Suite struct BucketQueryTests {
    @Test func bucketsOfAnHourRangeComeBackWithUnknownsAsEmpty() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        _ = try store.commit([IngestFile(digest: digest(1), signals: [
            signal("a-00000001", at: 3_600 * 10 + 5),
            signal("a-00000002", at: 3_600 * 11, count: 4, site: nil),
            signal("a-00000003", at: 3_600 * 12),
        ], rejections: [.badID])], now: 0, day: "2026-11-29")
        let rows = try store.buckets(hours: 10..<12)
        #expect(rows.map(\.hour) == [10, 11])
        #expect(rows.map(\.count) == [1, 4])
        #expect(rows[1].site == "" && rows[1].cohort == "")
        #expect(try store.health(days: "2026-11-23"..."2026-11-29") == ["accepted": 6, "bad_id": 1])
        #expect(try store.health(days: "2026-11-30"..."2026-12-06").isEmpty)
    }
}
