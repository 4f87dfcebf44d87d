import Foundation
import GRDB
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// Migration v5 (s7-perf, issue 13 `make bench`): pupil rows keyed by a
/// profile number instead of four texts. A store from before it keeps every
/// row and every count, and reads in the same order as before.
@Suite struct PupilProfileMigrationTests {
    let scratch = Scratch()
    /// Sunday 2025-11-30 10:00 UTC.
    let sunday: Int64 = 1_764_496_800

    /// Old-shaped pupil rows: several hours and weeks, unknown ('')
    /// dimensions, texts whose byte order differs from their insert order
    /// (upper case before lower, a multi-byte letter), pupil ids with the
    /// sign bit set, and a pupil seen in several groups.
    typealias OldRow = (hour: Int64, category: String, site: String, cohort: String, channel: String, pupil: Int64, week: Int64)

    var oldRows: [OldRow] {
        let hour = SignalStore.hour(of: sunday)
        let texts: [(String, String, String, String)] = [
            ("grooming", "hoofdgebouw", "klas-4", "instagram"),
            ("grooming", "dependance", "klas-4", "instagram"),
            ("grooming", "Zuid", "", "snapchat"),
            ("sextortion.payment", "hoofdgebouw", "klas-1", ""),
            ("grooming", "école", "klas-2", "whatsapp"),
            ("distress", "", "", ""),
        ]
        var rows: [OldRow] = []
        for (n, (category, site, cohort, channel)) in texts.enumerated() {
            for h in [hour - 200, hour - 3, hour] {
                for pupil: Int64 in [Int64.min + 7, -42, 1, 9_000_000_000_000_000_000, Int64(n) * 1_000 + 5]
                where (pupil + h + Int64(n)) % 3 != 0 {
                    rows.append((h, category, site, cohort, channel, pupil, (h * 3_600 - 345_600) / 604_800))
                }
            }
        }
        return rows
    }

    /// What the code before v5 read: the same query and grouping.
    func readAsBeforeV5(_ db: Database) throws -> [BucketCount] {
        var result: [BucketCount] = []
        var grouper = PupilBucketGrouper { result.append($0) }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT hour, category, site, cohort, channel, pupil FROM pupils
            ORDER BY hour, category, site, cohort, channel, pupil
            """)
        while let row = try rows.next() {
            grouper.add(hour: row[0], category: row[1], site: row[2], cohort: row[3], channel: row[4],
                        pupil: PupilID(bitPattern: row[5] as Int64))
        }
        grouper.flush()
        let condensed = try Row.fetchCursor(db, sql: """
            SELECT week, hour, category, site, cohort, channel, pupils FROM pupil_weeks
            ORDER BY hour, category, site, cohort, channel
            """)
        while let row = try condensed.next() {
            result.append(PupilBucketGrouper.condensed(week: row[0], hour: row[1], category: row[2], site: row[3],
                                                       cohort: row[4], channel: row[5], pupils: row[6]))
        }
        return result
    }

    /// Makes a store of schema v3 (the last before v5 that touches pupils)
    /// holding `oldRows` and a condensed week; returns what it read.
    func makeOldStore() throws -> (buckets: [BucketCount], rows: Int, perWeek: [[Int64]]) {
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: scratch.db)
        defer { try? old.close() }
        try StoreSchema.migrator(now: sunday - 60 * 86_400).migrate(old, upTo: "v3")
        return try old.write { db in
            #expect(try db.columns(in: "pupils").map(\.name) == ["hour", "category", "site", "cohort", "channel", "pupil", "week"])
            for r in oldRows.shuffled() {
                try db.execute(sql: "INSERT INTO pupils(hour, category, site, cohort, channel, pupil, week) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [r.hour, r.category, r.site, r.cohort, r.channel, r.pupil, r.week])
            }
            try db.execute(sql: """
                INSERT INTO pupil_weeks(week, hour, category, site, cohort, channel, pupils)
                VALUES (2900, 490000, 'grooming', 'hoofdgebouw', 'klas-4', 'instagram', 7)
                """)
            let perWeek = try Row.fetchAll(db, sql: "SELECT week, count(DISTINCT pupil) FROM pupils GROUP BY week ORDER BY week")
                .map { [$0[0] as Int64, $0[1] as Int64] }
            return (try readAsBeforeV5(db), try Int.fetchOne(db, sql: "SELECT count(*) FROM pupils")!, perWeek)
        }
    }

    @Test func aStoreFromBeforeV5KeepsEveryPupilRowAndReadsTheSame() throws {
        let before = try makeOldStore()
        #expect(before.rows > 40 && before.buckets.count > 15, "a test store worth the name")

        let store = try SignalStore(path: scratch.db, now: sunday)
        try store.checkSchema()
        #expect(try store.queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }.contains("v5"))
        #expect(try store.queue.read { try $0.columns(in: "pupils").map(\.name) } == ["hour", "profile", "pupil", "week"])
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM profiles") } == 6)

        // The same rows, the same buckets in the same order, the same counts.
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pupils") } == before.rows)
        let joined = try store.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.hour, f.category, f.site, f.cohort, f.channel, p.pupil, p.week FROM pupils AS p, profiles AS f
                WHERE f.id = p.profile
                """).map { "\($0[0] as Int64)|\($0[1] as String)|\($0[2] as String)|\($0[3] as String)|\($0[4] as String)|\($0[5] as Int64)|\($0[6] as Int64)" }
        }
        #expect(Set(joined) == Set(oldRows.map { "\($0.hour)|\($0.category)|\($0.site)|\($0.cohort)|\($0.channel)|\($0.pupil)|\($0.week)" }))
        #expect(try store.pupilBuckets(hours: .min ..< .max) == before.buckets)
        let perWeek = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT week, count(DISTINCT pupil) FROM pupils GROUP BY week ORDER BY week")
                .map { [$0[0] as Int64, $0[1] as Int64] }
        }
        #expect(perWeek == before.perWeek)
        // Nothing of the old table is left in the file (secure_delete).
        try store.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'pupils_v5'") } == 0)
    }

    /// After v5, a profile first seen late gets a higher number than ones
    /// that sort after it: reads still come in text order, and a known
    /// profile is not added again.
    @Test func newProfilesKeepTheTextOrderAndKnownOnesAreReused() throws {
        _ = try makeOldStore()
        let store = try SignalStore(path: scratch.db, now: sunday)
        func pupil(_ id: String, site: String, cohort: String?, subject: String) -> Signal {
            Signal(id: id, timestamp: sunday + 60, source: "webfilter", category: "grooming", site: site, cohort: cohort,
                   channel: "instagram", severity: .medium, subject: subject)
        }
        let committed = try store.commitFiles([file(1, [
            pupil("sig-1", site: "aardappel", cohort: "klas-4", subject: "pupil-aaaaaaaaaaaaaaaa"),
            pupil("sig-2", site: "hoofdgebouw", cohort: "klas-4", subject: "pupil-aaaaaaaaaaaaaaaa"),
            pupil("sig-3", site: "Aa", cohort: nil, subject: "pupil-bbbbbbbbbbbbbbbb"),
            pupil("sig-4", site: "aardappel", cohort: "klas-4", subject: "pupil-bbbbbbbbbbbbbbbb"),
        ])], now: sunday + 120, day: "2025-11-30")
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM profiles") } == 8, "two new, one known")
        let hour = SignalStore.hour(of: sunday) / 24 * 24 // a pupil row's hour: its day's first (UTC)
        let buckets = try store.pupilBuckets(hours: hour ..< hour + 1)
        let keys = buckets.map { [$0.category, $0.site, $0.cohort, $0.channel] }
        #expect(keys == keys.sorted { a, b in
            for (x, y) in zip(a, b) where x != y { return x.utf8.lexicographicallyPrecedes(y.utf8) }
            return false
        }, "an hour's groups in SQLite's text order: \(keys)")
        #expect(keys.first { $0[0] == "grooming" } == ["grooming", "Aa", "", "instagram"], "the newest profile sorts first")
        #expect(buckets.allSatisfy { $0.pupils == $0.pupils.sorted() })
        // What the commit reported is what the store added, in the same order.
        let added = committed.addedPupils
        #expect(added.map { [$0.category, $0.site, $0.cohort] } == [
            ["grooming", "Aa", ""], ["grooming", "aardappel", "klas-4"], ["grooming", "hoofdgebouw", "klas-4"],
        ])
        #expect(added.map(\.count) == [1, 2, 1])
        #expect(Set(added.flatMap(\.pupils)).isSubset(of: Set(buckets.flatMap(\.pupils))))
        // A repeat adds no row.
        let again = try store.commitFiles([file(2, [pupil("sig-5", site: "aardappel", cohort: "klas-4", subject: "pupil-aaaaaaaaaaaaaaaa")])],
                                          now: sunday + 180, day: "2025-11-30")
        #expect(again.addedPupils.isEmpty)
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM profiles") } == 8)
    }

    /// Shredding after v5 condenses per (week, category, site, cohort,
    /// channel), as before: each group's distinct pupils.
    @Test func shreddingAfterV5CondensesTheOldRowsPerGroup() throws {
        _ = try makeOldStore()
        let store = try SignalStore(path: scratch.db, now: sunday)
        let firstHour = SignalStore.hour(of: sunday) - 100
        var expected: [String: Int] = [:]
        var seen = Set<String>()
        for r in oldRows where r.hour < firstHour {
            let group = "\(r.week)|\(r.category)|\(r.site)|\(r.cohort)|\(r.channel)"
            if seen.insert(group + "|\(r.pupil)").inserted { expected[group, default: 0] += 1 }
        }
        #expect(!expected.isEmpty)
        let removed = try store.shred(beforeWeek: store.oldestKeyedWeek() + 1, firstHour: firstHour)
        #expect(removed == oldRows.filter { $0.hour < firstHour }.count)
        let condensed = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT week, category, site, cohort, channel, pupils FROM pupil_weeks WHERE week != 2900")
        }
        var got: [String: Int] = [:]
        for row in condensed {
            got["\(row[0] as Int64)|\(row[1] as String)|\(row[2] as String)|\(row[3] as String)|\(row[4] as String)"] = row[5]
        }
        #expect(got == expected)
    }
}
