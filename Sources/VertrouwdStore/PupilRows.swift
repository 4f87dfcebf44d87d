// PupilRows — the pupil rows an ingest batch adds (issue 13): one per
// (hour, category, site, cohort, channel) and pupil, whatever the number
// of signals, inserted straight through SQLite's C API like the buckets.
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

    /// The batch's rows (`PreparedBatch.pupilRows`, in key order), and
    /// which of them a counted signal has.
    private let all: [Row]
    private var used: [Bool]

    init(_ batch: PreparedBatch) {
        all = batch.pupilRows
        used = Array(repeating: false, count: all.count)
    }

    /// The rows of the counted signals, in key order.
    var rows: [Row] {
        zip(all, used).compactMap { row, used in used ? row : nil }
    }

    /// A counted signal's row; none when its week is shredded.
    mutating func add(_ entry: PreparedBatch.Entry, of batch: PreparedBatch) {
        guard entry.row >= 0 else { return }
        used[Int(entry.row)] = true
    }

    /// Inserts the rows in key order; returns those that were new, as
    /// buckets (one per hour and group, in key order).
    ///
    /// - Parameter inserted: whether the last step added a row.
    func insert(_ batch: PreparedBatch, with statement: OpaquePointer, inserted: () -> Bool) throws -> [BucketCount] {
        var added: [BucketCount] = []
        var current: (row: Row, pupils: [PupilID])?
        func flush() {
            guard let (row, pupils) = current else { return }
            let text = { (d: PreparedBatch.Dimension, n: UInt32) in batch.values[d.rawValue][Int(n)] }
            added.append(BucketCount(hour: row.hour, category: text(.category, row.category), site: text(.site, row.site),
                                     cohort: text(.cohort, row.cohort), channel: text(.channel, row.channel), pupils: pupils))
        }
        try SignalStore.withTexts(of: batch, boundBy: statement) { texts in
            for row in rows {
                var bound = SignalStore.bindKey(statement, hour: row.hour, texts: texts,
                                                [(.category, row.category), (.site, row.site), (.cohort, row.cohort),
                                                 (.channel, row.channel)])
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
        }
        flush()
        return added
    }
}
