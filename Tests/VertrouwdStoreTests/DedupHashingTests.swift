import Crypto
import Foundation
import GRDB
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// The de-duplication keys (schema v9): SipHash-2-4-128 against the
/// reference vectors, the switch hour, and the upgrade of a store that
/// holds HMAC keys.
@Suite struct DedupHashingTests {
    let scratch = Scratch()

    /// `vectors_sip128` of the reference implementation (veorq/SipHash):
    /// key 00 01 … 0f, message 00 01 … (length − 1).
    static let referenceTags: [Int: String] = [
        0: "a3817f04ba25a8e66df67214c7550293",
        1: "da87c1d86b99af44347659119b22fc45",
        7: "a1f1ebbed8dbc153c0b84aa61ff08239",
        8: "3b62a9ba6258f5610f83e264f31497b4",
        9: "264499060ad9baabc47f8b02bb6d71ed",
        15: "5493e99933b0a8117e08ec0f97cfc3d9",
        16: "6ee2a4ca67b054bbfd3315bf85230577",
        63: "5150d1772f50834a503e069a973fbd7c",
    ]

    @Test func sipHashMatchesTheReferenceVectors() {
        let sip = SipHash128(key: (0..<16).map { UInt8($0) })
        for (length, expected) in Self.referenceTags {
            let message = (0..<length).map { UInt8($0) }
            let tag = message.withUnsafeBytes { sip.tag($0) }
            var bytes = (tag.low.littleEndian, tag.high.littleEndian)
            let hex = withUnsafeBytes(of: &bytes) { $0.map { String(format: "%02x", $0) }.joined() }
            #expect(hex == expected, "length \(length)")
        }
    }

    /// HMAC-SHA256 of source ‖ 0 ‖ id before the switch hour, SipHash
    /// under a key derived from the install key from it on.
    @Test func theSwitchHourChoosesTheHash() {
        let installKey = Data((0..<32).map { UInt8($0 * 7 % 256) })
        let hashing = DedupHashing(installKey: installKey, sipFromHour: 500_000)
        let s = signal("sig-00000001", source: "webfilter")
        let message = Array("webfilter".utf8) + [0] + Array("sig-00000001".utf8)

        let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: installKey)))
        let before = hashing.key(s, hour: 499_999)
        #expect(bytes(of: before) == Array(mac.prefix(16)))

        let derived = Array(HMAC<SHA256>.authenticationCode(for: Array("vertrouwd dedup siphash".utf8),
                                                            using: SymmetricKey(data: installKey)).prefix(16))
        let tag = message.withUnsafeBytes { SipHash128(key: derived).tag($0) }
        var expected = (tag.low.littleEndian, tag.high.littleEndian)
        let after = hashing.key(s, hour: 500_000)
        #expect(bytes(of: after) == withUnsafeBytes(of: &expected) { Array($0) })
        #expect(before != after)
    }

    /// A v8 store's signals keep their HMAC keys: counted again after the
    /// upgrade they are duplicates; a signal of a later hour is stored
    /// under a SipHash key.
    @Test func anUpgradedStoreFindsItsOldSignals() throws {
        let old = signal("old-signal-1")
        let hour = SignalStore.hour(of: old.timestamp)
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        do {
            let v8 = try DatabaseQueue(path: scratch.db)
            try StoreSchema.migrator(now: 0).migrate(v8, upTo: "v8")
            try v8.write { db in
                let installKey = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'dedup_key'")!
                let key = DedupHashing(installKey: installKey, sipFromHour: .max).key(old, hour: hour)
                try db.execute(sql: "INSERT INTO seen_signals(hour, key) VALUES (?, ?)", arguments: [hour, Data(bytes(of: key))])
            }
            try v8.close()
        }
        let store = try SignalStore(path: scratch.db, now: 1_000)
        #expect(store.dedupSipFromHour == hour + 1)
        #expect(try store.count([file(1, [old])], now: 2_000, day: "d") == [IngestOutcome(duplicates: 1)])

        let later = signal("new-signal-1", at: old.timestamp + 3_600)
        #expect(try store.count([file(2, [later])], now: 2_000, day: "d") == [IngestOutcome(accepted: 1)])
        let stored = try store.queue.read { try Data.fetchOne($0, sql: "SELECT key FROM seen_signals WHERE hour = ?", arguments: [hour + 1]) }
        let sip = DedupHashing(installKey: store.dedupKey, sipFromHour: .min).key(later, hour: hour + 1)
        #expect(stored.map(Array.init) == bytes(of: sip))
    }

    @Test func aNewStoreUsesSipHashForEveryHour() throws {
        let store = try SignalStore(path: scratch.db, now: 1_000)
        #expect(store.dedupSipFromHour == .min)
    }

    /// Keys go in fifty to a statement; a key stored by an earlier batch
    /// sends the batch again one key at a time. Either way every signal
    /// is counted once, per file and in the buckets.
    @Test(arguments: StoreKind.allCases)
    func knownKeysAmongManyAreFoundOneByOne(kind: StoreKind) throws {
        let store = try kind.make(in: scratch)
        let base: Int64 = 1_764_410_400
        let now = base + 100 * 3_600
        // Seventy hours, so that the bucket upserts go fifty at a time too.
        let signals = (0..<130).map { signal(String(format: "sig-%08d", $0), at: base + Int64($0 % 70) * 3_600) }
        #expect(try store.count([file(1, Array(signals.prefix(60)))], now: now, day: "d") == [IngestOutcome(accepted: 60)])

        // 70 new, 3 counted before, and one new signal twice in the batch.
        let again = [signals[10], signals[35], signals[59]]
        let fresh = Array(signals[60...])
        let outcomes = try store.count([file(2, Array(fresh.prefix(40)) + again), file(3, Array(fresh.dropFirst(40)) + [fresh[0]])],
                                       now: now, day: "d")
        #expect(outcomes == [IngestOutcome(accepted: 40, duplicates: 3), IngestOutcome(accepted: 30, duplicates: 1)])
        let firstHour = SignalStore.hour(of: base)
        let buckets = try store.buckets(hours: firstHour..<(firstHour + 70))
        #expect(buckets.count == 70 && buckets.reduce(0) { $0 + $1.count } == 130)
    }

    private func bytes(of key: DedupKey) -> [UInt8] {
        var key = key
        return withUnsafeBytes(of: &key) { Array($0) }
    }
}

extension DedupHashing {
    /// The key of `signal` in its hour, as ingest works it out from the
    /// packed signal's bytes.
    func key(_ signal: Signal, hour: Int64) -> DedupKey {
        Array(signal.source.utf8).withUnsafeBytes { source in
            Array(signal.id.utf8).withUnsafeBytes { key(source: source, id: $0, hour: hour) }
        }
    }
}
