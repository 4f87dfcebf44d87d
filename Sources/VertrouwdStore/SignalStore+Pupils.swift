import Foundation
import GRDB
import VertrouwdCore

extension SignalStore {
    /// The pupils of the hours in `hours`, as buckets (see
    /// `StateStore.forEachPupilBucket`).
    public func forEachPupilBucket(hours: Range<Int64>, _ body: (BucketCount) -> Void) throws(StoreError) {
        do {
            try queue.read { db in
                // Rows come by (hour, profile, pupil); an hour's groups are
                // put in text order, the order before v5 (`ProfileText`).
                let profiles = try PupilProfiles.all(db)
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT hour, profile, pupil FROM pupils
                    WHERE hour >= ? AND hour < ? ORDER BY hour, profile, pupil
                    """, arguments: [hours.lowerBound, hours.upperBound])
                var hour: Int64?
                var groups: [(profile: ProfileText, pupils: [PupilID])] = []
                func flush() {
                    guard let hour else { return }
                    groups.sort { $0.profile.precedes($1.profile) }
                    for (p, pupils) in groups {
                        body(BucketCount(hour: hour, category: p.category, site: p.site, cohort: p.cohort, channel: p.channel,
                                         pupils: pupils.sorted()))
                    }
                    groups.removeAll(keepingCapacity: true)
                }
                var profileID: Int64?
                while let row = try rows.next() {
                    let (h, profile, pupil): (Int64, Int64, Int64) = (row[0], row[1], row[2])
                    if h != hour {
                        flush()
                        hour = h
                        profileID = nil
                    }
                    if profile != profileID {
                        guard let text = profiles[profile] else {
                            throw StoreError(.corrupt, "\(path) has a pupil row of an unknown profile")
                        }
                        groups.append((text, []))
                        profileID = profile
                    }
                    groups[groups.count - 1].pupils.append(PupilID(bitPattern: pupil))
                }
                flush()
                let condensed = try Row.fetchCursor(db, sql: """
                    SELECT week, hour, category, site, cohort, channel, pupils FROM pupil_weeks
                    WHERE hour >= ? AND hour < ? ORDER BY hour, category, site, cohort, channel
                    """, arguments: [hours.lowerBound, hours.upperBound])
                while let row = try condensed.next() {
                    body(PupilBucketGrouper.condensed(week: row[0], hour: row[1], category: row[2], site: row[3],
                                                      cohort: row[4], channel: row[5], pupils: row[6]))
                }
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Shreds the weeks before `ordinal` (see `StateStore.shred`); the
    /// hours before `firstHour` are those weeks' (a range of the key).
    public func shred(beforeWeek ordinal: Int64, firstHour: Int64) throws(StoreError) -> Int {
        do {
            let (removed, moved) = try queue.write { db -> (Int, PupilChain) in
                // A profile is one (category, site, cohort, channel): grouping
                // by it groups as the four texts did before v5.
                try db.execute(sql: """
                    INSERT INTO pupil_weeks(week, hour, category, site, cohort, channel, pupils)
                    SELECT g.week, g.hour, f.category, f.site, f.cohort, f.channel, g.pupils
                    FROM (SELECT week, profile, min(hour) AS hour, count(DISTINCT pupil) AS pupils FROM pupils
                          WHERE hour < ? GROUP BY week, profile) AS g, profiles AS f
                    WHERE f.id = g.profile
                    ON CONFLICT(week, category, site, cohort, channel) DO UPDATE SET pupils = pupils + excluded.pupils
                    """, arguments: [firstHour])
                try db.execute(sql: "DELETE FROM pupils WHERE hour < ?", arguments: [firstHour])
                let removed = db.changesCount
                let moved = chain.withLock { $0 }.advanced(to: ordinal)
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'pupil_chain'", arguments: [Data(moved.secret)])
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'pupil_chain_week'", arguments: [moved.week])
                return (removed, moved)
            }
            chain.withLock { $0 = moved }
            // The old secret and ids may still sit in the write-ahead log:
            // copy it into the database (whose freed pages secure_delete
            // zeroed) and empty it.
            if removed > 0 {
                try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            }
            return removed
        } catch {
            throw StoreError(error)
        }
    }

    /// The week whose key is the oldest the store can still derive.
    public func oldestKeyedWeek() -> Int64 {
        chain.withLock { $0.week }
    }
}

/// Groups pupil rows that arrive in key order into one bucket per hour and
/// group; condensed weeks become buckets of synthetic pupils.
struct PupilBucketGrouper {
    private let body: (BucketCount) -> Void
    private var open: BucketCount?

    init(_ body: @escaping (BucketCount) -> Void) {
        self.body = body
    }

    mutating func add(hour: Int64, category: String, site: String, cohort: String, channel: String, pupil: PupilID) {
        if let bucket = open, bucket.hour == hour, bucket.category == category, bucket.site == site,
           bucket.cohort == cohort, bucket.channel == channel {
            open?.pupils.append(pupil)
            return
        }
        flush()
        open = BucketCount(hour: hour, category: category, site: site, cohort: cohort, channel: channel, pupils: [pupil])
    }

    mutating func flush() {
        if var bucket = open {
            bucket.pupils.sort() // rows came in SQLite's signed order
            body(bucket)
        }
        open = nil
    }

    /// A condensed week's group: `pupils` ids that meet no other bucket's.
    static func condensed(week: Int64, hour: Int64, category: String, site: String, cohort: String, channel: String, pupils: Int) -> BucketCount {
        let seed = SyntheticPupils.seed(["condensed", String(week), category, site, cohort, channel], hour: hour)
        return BucketCount(hour: hour, category: category, site: site, cohort: cohort, channel: channel,
                           pupils: SyntheticPupils.ids(seed: seed, count: pupils))
    }
}
