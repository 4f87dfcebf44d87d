// PupilRows — the pupil rows an ingest batch adds (issue 13): one per
// (hour, category, site, cohort, channel) and pupil, whatever the number
// of signals, inserted straight through SQLite's C API like the buckets.
import Foundation
import GRDBSQLite
import VertrouwdCore

/// The distinct pupil rows of a batch's counted signals, by the batch's
/// numbered values.
struct PupilRows {
    struct Row: Hashable {
        var hour: Int64
        var category: UInt32
        var site: UInt32
        var cohort: UInt32
        var channel: UInt32
        var pupil: PupilID
        var week: Int64

        func precedes(_ other: Row) -> Bool {
            (hour, category, site, cohort, channel, Int64(bitPattern: pupil))
                < (other.hour, other.category, other.site, other.cohort, other.channel, Int64(bitPattern: other.pupil))
        }
    }

    private(set) var rows: Set<Row> = []

    /// A counted signal's row; none when its week is shredded.
    mutating func add(_ entry: PreparedBatch.Entry, of batch: PreparedBatch) {
        guard let pupil = entry.pupil else { return }
        let bucket = batch.buckets[Int(entry.bucket)]
        rows.insert(Row(hour: bucket.hour, category: bucket.category, site: bucket.site, cohort: bucket.cohort,
                        channel: bucket.channel, pupil: pupil, week: entry.week))
    }

    /// Inserts the rows in key order; returns those that were new, as
    /// buckets (one per hour and group, in key order).
    ///
    /// - Parameter inserted: whether the last step added a row.
    func insert(_ batch: PreparedBatch, with statement: OpaquePointer, inserted: () -> Bool) throws -> [BucketCount] {
        let texts = batch.values.map { $0.map { strdup($0)! } }
        defer {
            sqlite3_clear_bindings(statement)
            for dimension in texts { for text in dimension { free(text) } }
        }
        var added: [BucketCount] = []
        var current: (row: Row, pupils: [PupilID])?
        func flush() {
            guard let (row, pupils) = current else { return }
            let text = { (d: PreparedBatch.Dimension, n: UInt32) in batch.values[d.rawValue][Int(n)] }
            added.append(BucketCount(hour: row.hour, category: text(.category, row.category), site: text(.site, row.site),
                                     cohort: text(.cohort, row.cohort), channel: text(.channel, row.channel), pupils: pupils))
        }
        for row in rows.sorted(by: { $0.precedes($1) }) {
            sqlite3_reset(statement)
            let numbers = [row.category, row.site, row.cohort, row.channel]
            let dimensions: [PreparedBatch.Dimension] = [.category, .site, .cohort, .channel]
            var bound = sqlite3_bind_int64(statement, 1, row.hour) == SQLITE_OK
            for (d, number) in numbers.enumerated() where bound {
                bound = sqlite3_bind_text(statement, Int32(d + 2), texts[dimensions[d].rawValue][Int(number)], -1, nil) == SQLITE_OK
            }
            bound = bound && sqlite3_bind_int64(statement, 6, Int64(bitPattern: row.pupil)) == SQLITE_OK
            bound = bound && sqlite3_bind_int64(statement, 7, row.week) == SQLITE_OK
            try SignalStore.step(statement, bound: bound)
            guard inserted() else { continue }
            if let open = current, open.row.hour == row.hour, open.row.category == row.category, open.row.site == row.site,
               open.row.cohort == row.cohort, open.row.channel == row.channel {
                current?.pupils.append(row.pupil)
            } else {
                flush()
                current = (row, [row.pupil])
            }
        }
        flush()
        return added
    }
}
