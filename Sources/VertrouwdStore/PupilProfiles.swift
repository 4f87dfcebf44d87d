// PupilProfiles — the small integers that stand for a (category, site,
// cohort, channel) in the pupils table (migration v5) and the signal
// buckets (`bucket_counts`, migration v6).
//
// Why: a pupil row used to repeat its four text values in its key; over
// three weeks that is a million rows of ~55 bytes, larger than the page
// cache, and a batch spread over those weeks rewrote most of their pages
// at each commit (Benchmarks/RESULTS.md, issue 13). With a profile number
// a row is (hour, profile, pupil) integers, about 20 bytes.
import GRDB

/// A (category, site, cohort, channel) as a batch numbers its values
/// (`PreparedBatch.values`).
struct ProfileKey: Hashable {
    var category: UInt32
    var site: UInt32
    var cohort: UInt32
    var channel: UInt32

    init(_ bucket: PreparedBatch.Bucket) {
        category = bucket.category
        site = bucket.site
        cohort = bucket.cohort
        channel = bucket.channel
    }
}

/// A profile's text values, as the `profiles` table holds them.
struct ProfileText: Hashable {
    var category: String
    var site: String
    var cohort: String
    var channel: String

    /// SQLite's order of the four text columns (BINARY: the UTF-8 bytes),
    /// the order the pupils table was read in before v5.
    func precedes(_ other: ProfileText) -> Bool {
        for (a, b) in [(category, other.category), (site, other.site), (cohort, other.cohort), (channel, other.channel)]
        where a != b {
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        return false
    }
}

enum PupilProfiles {
    /// By batch profile number (`PreparedBatch.profiles`), the table's
    /// id of each profile marked `used` (0 for the others), adding the
    /// profiles the table does not hold yet (in the caller's transaction:
    /// a rolled-back batch leaves none behind).
    static func ids(of used: [Bool], in batch: PreparedBatch, db: Database) throws -> [Int64] {
        let find = try db.cachedStatement(sql: "SELECT id FROM profiles WHERE category = ? AND site = ? AND cohort = ? AND channel = ?")
        let add = try db.cachedStatement(sql: "INSERT INTO profiles(category, site, cohort, channel) VALUES (?, ?, ?, ?)")
        var ids = [Int64](repeating: 0, count: batch.profiles.count)
        for n in batch.profiles.indices where used[n] {
            let text = batch.texts(ofProfile: Int32(n))
            let arguments: StatementArguments = [text.category, text.site, text.cohort, text.channel]
            if let id = try Int64.fetchOne(find, arguments: arguments) {
                ids[n] = id
            } else {
                try add.execute(arguments: arguments)
                ids[n] = db.lastInsertedRowID
            }
        }
        return ids
    }

    /// Every profile, by number (the table is small: one row per
    /// combination ever seen).
    static func all(_ db: Database) throws -> [Int64: ProfileText] {
        var result: [Int64: ProfileText] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, category, site, cohort, channel FROM profiles")
        while let row = try rows.next() {
            result[row[0]] = ProfileText(category: row[1], site: row[2], cohort: row[3], channel: row[4])
        }
        return result
    }
}
