import Foundation
import GRDB
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// Migration v6 (issue 13, `make bench` 8): signal buckets keyed by a
/// profile number (`bucket_counts`) instead of four texts. A store from
/// before it keeps every bucket and count, reads in the same order, and
/// `buckets` stays readable as a view.
@Suite struct BucketProfileMigrationTests {
    let scratch = Scratch()
    /// Sunday 2025-11-30 10:00 UTC.
    let sunday: Int64 = 1_764_496_800

    /// Old buckets: texts whose byte order differs from their insert order
    /// (upper case before lower, a multi-byte letter), unknown ('')
    /// dimensions, several severities and hours, one profile also in the
    /// pupils table and the others not.
    var oldBuckets: [StoredBucket] {
        let hour = SignalStore.hour(of: sunday)
        let texts: [(String, String, String, String)] = [
            ("grooming", "hoofdgebouw", "klas-4", "instagram"),
            ("grooming", "Zuid", "", "snapchat"),
            ("sextortion.payment", "hoofdgebouw", "klas-1", ""),
            ("grooming", "école", "klas-2", "whatsapp"),
            ("distress", "", "", ""),
        ]
        var result: [StoredBucket] = []
        for (n, (category, site, cohort, channel)) in texts.enumerated() {
            for h in [hour - 200, hour - 3, hour] {
                for (s, severity) in ["high", "low", "medium"].enumerated() where (h + Int64(n + s)) % 3 != 0 {
                    result.append(StoredBucket(hour: h, category: category, site: site, cohort: cohort, channel: channel,
                                               severity: severity, count: n * 10 + s + 1))
                }
            }
        }
        return result
    }

    /// A store of schema v5 holding `oldBuckets` and one pupil row; returns
    /// what the code before v6 read (the same query).
    func makeOldStore() throws -> [StoredBucket] {
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: scratch.db)
        defer { try? old.close() }
        try StoreSchema.migrator(now: sunday - 60 * 86_400).migrate(old, upTo: "v5")
        return try old.write { db in
            for b in oldBuckets.shuffled() {
                try db.execute(sql: """
                    INSERT INTO buckets(hour, category, site, cohort, channel, severity, count) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [b.hour, b.category, b.site, b.cohort, b.channel, b.severity, b.count])
            }
            try db.execute(sql: "INSERT INTO profiles(category, site, cohort, channel) VALUES ('grooming', 'Zuid', '', 'snapchat')")
            try db.execute(sql: "INSERT INTO pupils(hour, profile, pupil, week) VALUES (?, 1, 42, 2900)",
                           arguments: [SignalStore.hour(of: sunday)])
            return try Row.fetchAll(db, sql: """
                SELECT hour, category, site, cohort, channel, severity, count FROM buckets
                ORDER BY hour, category, site, cohort, channel, severity
                """).map {
                StoredBucket(hour: $0[0], category: $0[1], site: $0[2], cohort: $0[3], channel: $0[4], severity: $0[5], count: $0[6])
            }
        }
    }

    @Test func aStoreFromBeforeV6KeepsEveryBucketAndReadsTheSame() throws {
        let before = try makeOldStore()
        #expect(before.count > 25, "a test store worth the name")
        #expect(Set(before) == Set(oldBuckets))

        let store = try SignalStore(path: scratch.db, now: sunday)
        try store.checkSchema()
        #expect(try store.queue.read { try $0.columns(in: "bucket_counts").map(\.name) } == ["hour", "profile", "severity", "count"])
        // The pupils' profile kept its number; the four others were added.
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM profiles") } == 5)
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT id FROM profiles WHERE site = 'Zuid'") } == 1)
        #expect(try store.pupilBuckets(hours: .min ..< .max).map(\.site) == ["Zuid"])

        // The same buckets in the same (text) order, the same total.
        #expect(try store.buckets(hours: .min ..< .max) == before)
        #expect(try store.totalSignals() == Int64(before.reduce(0) { $0 + $1.count }))
        // The view still reads as the table did.
        let viewed = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT hour, category, site, cohort, channel, severity, count FROM buckets").map {
                StoredBucket(hour: $0[0], category: $0[1], site: $0[2], cohort: $0[3], channel: $0[4], severity: $0[5], count: $0[6])
            }
        }
        #expect(Set(viewed) == Set(before))
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'buckets' AND type = 'view'") } == 1)
    }

    /// After v6 a signal adds to a migrated bucket, a new profile gets a
    /// new number and still reads in text order, and purge removes buckets.
    @Test func ingestAddsToMigratedBucketsAndPurgeRemovesThem() throws {
        let before = try makeOldStore()
        let store = try SignalStore(path: scratch.db, now: sunday)
        let hour = SignalStore.hour(of: sunday)
        _ = try store.count([file(1, [
            Signal(id: "sig-1", timestamp: sunday + 60, source: "webfilter", category: "grooming", site: "Zuid",
                   channel: "snapchat", severity: .high),
            Signal(id: "sig-2", timestamp: sunday + 120, source: "webfilter", category: "grooming", site: "Aa",
                   channel: "snapchat", severity: .high),
        ])], now: sunday + 180, day: "2025-11-30")
        let old = before.first { $0.hour == hour && $0.site == "Zuid" && $0.severity == "high" }
        let now = try store.buckets(hours: hour ..< hour + 1)
        #expect(now.first { $0.site == "Zuid" && $0.severity == "high" }?.count == (old?.count ?? 0) + 1)
        #expect(now.first { $0.site == "Aa" }?.count == 1)
        let keys = now.map { [$0.category, $0.site, $0.cohort, $0.channel, $0.severity] }
        #expect(keys == keys.sorted { a, b in
            for (x, y) in zip(a, b) where x != y { return x.utf8.lexicographicallyPrecedes(y.utf8) }
            return false
        }, "an hour's buckets in SQLite's text order: \(keys)")
        #expect(try store.totalSignals() == Int64(before.reduce(0) { $0 + $1.count }) + 2)

        // Retention of 100 hours: the buckets of hour − 200 go.
        let purged = try store.purge(now: sunday, retentionSeconds: 100 * 3_600, dedupHorizonSeconds: 86_400, oldestDay: "2025-01-01")
        #expect(purged.buckets == before.filter { $0.hour == hour - 200 }.count)
        #expect(try store.buckets(hours: .min ..< hour - 100).isEmpty)
    }
}
