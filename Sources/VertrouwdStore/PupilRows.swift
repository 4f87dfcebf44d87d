// PupilRows — the pupil rows an ingest batch adds (issue 13): one per
// (hour, category, site, cohort, channel) and pupil, whatever the number
// of signals, inserted straight through SQLite's C API like the buckets,
// with the four texts as one profile number (`PupilProfiles`, v5).
import GRDBSQLite
import VertrouwdCore

/// The distinct pupil rows of a batch's counted signals, by the batch's
/// numbered values.
struct PupilRows {
    struct Row: Hashable {
        var hour: Int64
        /// Its profile's number in the batch: its category, site, cohort
        /// and channel are `PreparedBatch.profiles[profile]`.
        var profile: Int32
        var pupil: PupilID
        var week: Int64
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

    /// Inserts the rows in the table's key order (hour, profile, pupil);
    /// returns those that were new, as buckets (one per hour and group, in
    /// the batch's text order, as before v5).
    ///
    /// One row a statement: a multi-row insert's change count cannot tell
    /// which rows were new, and SQLite's RETURNING clause, which can, cost
    /// more than the statements it saved (240,000 rows in 15 batches, half
    /// of them stored before: 0.54 s one by one, 0.42 s fifty at a time
    /// without RETURNING, 0.59 s with it; a C program on the store's
    /// pragmas, 2026-12-03).
    ///
    /// - Parameters:
    ///   - profiles: by batch profile number, the table's profile id
    ///     (`PupilProfiles.ids`).
    ///   - inserted: whether the last step added a row.
    func insert(_ batch: PreparedBatch, profiles: [Int64], with statement: OpaquePointer,
                inserted: () -> Bool) throws -> [BucketCount] {
        let counted = all.indices.filter { used[$0] }
        let profile = counted.map { profiles[Int(all[$0].profile)] }
        // Rows come in (hour, texts, pupil) order: each hour's rows are
        // put in (profile, pupil) order, the table's, as small keys.
        var order = counted.indices.map { i in
            InsertKey(profile: profile[i], pupil: Int64(bitPattern: all[counted[i]].pupil), index: Int32(i))
        }
        sortWithinRuns(&order, run: { all[counted[Int($0.index)]].hour }, by: { a, b in (a.profile, a.pupil) < (b.profile, b.pupil) })
        var new = [Bool](repeating: false, count: counted.count)
        defer { sqlite3_clear_bindings(statement) }
        for key in order {
            let i = Int(key.index)
            let row = all[counted[i]]
            sqlite3_reset(statement)
            let bound = sqlite3_bind_int64(statement, 1, row.hour) == SQLITE_OK
                && sqlite3_bind_int64(statement, 2, profile[i]) == SQLITE_OK
                && sqlite3_bind_int64(statement, 3, Int64(bitPattern: row.pupil)) == SQLITE_OK
                && sqlite3_bind_int64(statement, 4, row.week) == SQLITE_OK
            try SignalStore.step(statement, bound: bound)
            new[i] = inserted()
        }
        // The new rows, grouped in the batch's order (its text order).
        var added: [BucketCount] = []
        var current: (row: Row, pupils: [PupilID])?
        func flush() {
            guard let (row, pupils) = current else { return }
            let text = batch.texts(ofProfile: row.profile)
            added.append(BucketCount(hour: row.hour, category: text.category, site: text.site,
                                     cohort: text.cohort, channel: text.channel, pupils: pupils))
        }
        for (i, r) in counted.enumerated() where new[i] {
            let row = all[r]
            if let open = current, open.row.hour == row.hour, open.row.profile == row.profile {
                current?.pupils.append(row.pupil)
            } else {
                flush()
                current = (row, [row.pupil])
            }
        }
        flush()
        return added
    }

    /// Marks, by batch profile number, the profiles of the counted
    /// signals' rows.
    func markProfiles(_ used: inout [Bool]) {
        for i in all.indices where self.used[i] { used[Int(all[i].profile)] = true }
    }
}

/// A pupil row's place among its hour's rows in the table's order.
private struct InsertKey {
    var profile: Int64
    var pupil: Int64
    var index: Int32
}
