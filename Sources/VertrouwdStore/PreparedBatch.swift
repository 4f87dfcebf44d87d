// PreparedBatch — what committing a batch of spool files needs, worked out
// before the write transaction: each signal's hour and keyed hash, sorted
// as the de-duplication index is, and its bucket, numbered.
//
// Why: the transaction is the part of ingest that cannot run beside
// anything else (one writer, fsync). Everything that needs no database is
// done here, on the ingest loop's helper thread while the previous batch
// commits (`make bench`, Benchmarks/RESULTS.md). Signals are reduced to
// compact entries file by file, so that a batch in flight costs ~100
// bytes a signal instead of the parsed signals themselves.
import Foundation
import VertrouwdCore

/// A batch of files ready for `StateStore.commitCounting(_:rejectedFiles:now:day:)`.
public struct PreparedBatch: Sendable {
    /// One signal: 56 bytes (its hour and week are its hour number's,
    /// `PreparedBatch.hour(of:)`, not stored in each of the batch's
    /// ~100,000 entries: 80 bytes before, and two batches are in memory at
    /// once).
    struct Entry: Sendable {
        var key: DedupKey
        var file: Int32
        /// The signal's bucket: a position in `buckets`.
        var bucket: Int32
        /// The signal's source: a position in `sources`.
        var source: Int32
        var count: Int32
        /// Its hour's number in the builder's `hours` (`PreparedBatch.hours`).
        var hourNumber: UInt32
        /// Its pupil row: a position in `pupilRows`, -1 when it has none.
        var row: Int32 = -1
        /// The pupil the signal counts as, or nil (its week is shredded).
        var pupil: PupilID?
    }

    /// A bucket's primary key, its text values numbered per dimension.
    struct Bucket: Hashable, Sendable {
        var hour: Int64
        var category: UInt32
        var site: UInt32
        var cohort: UInt32
        var channel: UInt32
        var severity: UInt32
    }

    enum Dimension: Int, CaseIterable {
        case category, site, cohort, channel, severity
    }

    /// The files, without their signals (`entries` holds what the commit
    /// needs of them).
    let files: [IngestFile]
    /// In (hour, key) order; the same key twice in file order.
    let entries: [Entry]
    /// By hour number (`Entry.hourNumber`): the UTC hour.
    let hours: [Int64]

    /// The text values of batch profile `n`.
    func texts(ofProfile n: Int32) -> ProfileText {
        let p = profiles[Int(n)]
        let text = { (d: Dimension, n: UInt32) in values[d.rawValue][Int(n)] }
        return ProfileText(category: text(.category, p.category), site: text(.site, p.site),
                           cohort: text(.cohort, p.cohort), channel: text(.channel, p.channel))
    }

    /// The UTC hour of an entry's signal.
    @inline(__always)
    func hour(of entry: Entry) -> Int64 { hours[Int(entry.hourNumber)] }
    /// The distinct buckets, in the table's key order.
    let buckets: [Bucket]
    /// By dimension, by number: the text value.
    let values: [[String]]
    let sources: [String]
    /// The distinct pupil rows of the batch's signals, in the table's key
    /// order: worked out here, on the helper, so that the commit only marks
    /// the rows of the signals it counts (`PupilRows`).
    let pupilRows: [PupilRows.Row]
    /// The distinct profiles (category, site, cohort, channel) of the
    /// buckets, numbered; by bucket, its profile's number (a pupil row
    /// has its own, `PupilRows.Row.profile`). The commit thread then
    /// turns each into the table's profile id once (`PupilProfiles`),
    /// not once per bucket and row.
    let profiles: [ProfileKey]
    let profileOfBucket: [Int32]

    /// Builds a batch file by file.
    public struct Builder {
        private let dedup: DedupHashing
        private var pupils: PupilKeyring
        private let zone: TimeZone
        /// The batch's signal hours; by hour number, its week (`PupilWeek`
        /// ordinal) and the first hour of its local day (`pupilRows`).
        private var hours = Numbering<Int64>()
        private var weekOfHour: [Int64] = []
        private var dayOfHour: [Int64] = []
        private var files: [IngestFile] = []
        private var entries: [Entry] = []
        /// By dimension: its text values, numbered.
        private var values = [Numbering<String>](repeating: Numbering(), count: Dimension.allCases.count)
        private var buckets = Numbering<Bucket>(capacity: 1 << 12)
        private var sources = Numbering<String>()
        /// The vocabulary the files so far were packed in, and by table
        /// (sources, then each `Dimension`), by number in it: the batch's
        /// number, or -1 before its first use. Files of one validator
        /// share one vocabulary, so a value is numbered once a batch.
        private var vocabulary: SignalVocabulary?
        private var numbered: [[Int32]] = []

        init(dedup: DedupHashing, chain: PupilChain, zone: TimeZone) {
            self.dedup = dedup
            self.pupils = PupilKeyring(chain: chain)
            self.zone = zone
        }

        /// The signals held so far.
        public var signalCount: Int { entries.count }

        public mutating func add(_ file: IngestFile) {
            let f = Int32(files.count)
            files.append(file.withoutSignals())
            if file.vocabulary !== vocabulary { renumber(file.vocabulary) }
            let vocabulary = file.vocabulary
            file.text.withUnsafeBytes { text in
                // Grown as arrays grow (doubling): reserving each file's
                // exact size copied all entries so far once per file.
                for signal in file.packed {
                    let hour = SignalStore.hour(of: signal.timestamp)
                    let b = buckets.number(Bucket(
                        hour: hour, category: number(.category, signal.category), site: number(.site, signal.site),
                        cohort: number(.cohort, signal.cohort), channel: number(.channel, signal.channel),
                        severity: number(.severity, Self.severityNumber(signal.severity)))).number
                    let source = number(source: signal.source)
                    let (h, isNew) = hours.number(hour)
                    if isNew {
                        weekOfHour.append(PupilWeek.ordinal(ofHour: hour, in: zone))
                        dayOfHour.append(Window.containing(hour: hour, kind: .day, in: zone).hours.lowerBound)
                    }
                    let week = weekOfHour[Int(h)]
                    let (key, pupil) = vocabulary.sourceBytes[Int(signal.source)].withUnsafeBytes { sourceBytes in
                        (dedup.key(source: sourceBytes, id: signal.id(in: text), hour: hour),
                         pupils.pupil(subject: signal.subject(in: text), source: sourceBytes, sourceNumber: source, week: week))
                    }
                    entries.append(Entry(key: key, file: f, bucket: b, source: source, count: signal.count,
                                         hourNumber: UInt32(h), pupil: pupil))
                }
            }
        }

        /// Starts numbering the values of `vocabulary`: by table, its
        /// values (sites, cohorts and channels after "unknown", severities
        /// by `severityNumber`) with no batch number yet.
        private mutating func renumber(_ vocabulary: SignalVocabulary) {
            self.vocabulary = vocabulary
            func unnumbered(_ count: Int) -> [Int32] { [Int32](repeating: -1, count: count) }
            numbered = [unnumbered(vocabulary.sources.count)]
            for d in Dimension.allCases {
                switch d {
                case .category: numbered.append(unnumbered(vocabulary.categories.count))
                case .site: numbered.append(unnumbered(vocabulary.sites.count + 1))
                case .cohort: numbered.append(unnumbered(vocabulary.cohorts.count + 1))
                case .channel: numbered.append(unnumbered(vocabulary.channels.count + 1))
                case .severity: numbered.append(unnumbered(Severity.allCases.count))
                }
            }
        }

        /// The batch's number of the value `n` of `dimension` in the current
        /// vocabulary (for sites, cohorts and channels, 0 is "unknown").
        @inline(__always)
        private mutating func number(_ dimension: Dimension, _ n: UInt32) -> UInt32 {
            let known = numbered[dimension.rawValue + 1][Int(n)]
            if known >= 0 { return UInt32(known) }
            let text: String
            switch dimension {
            case .category: text = vocabulary!.categories[Int(n)]
            case .site: text = n == 0 ? "" : vocabulary!.sites[Int(n) - 1]
            case .cohort: text = n == 0 ? "" : vocabulary!.cohorts[Int(n) - 1]
            case .channel: text = n == 0 ? "" : vocabulary!.channels[Int(n) - 1]
            case .severity: text = Severity.allCases[Int(n)].rawValue
            }
            let number = values[dimension.rawValue].number(text).number
            numbered[dimension.rawValue + 1][Int(n)] = number
            return UInt32(number)
        }

        /// The batch's number of source `n` of the current vocabulary.
        @inline(__always)
        private mutating func number(source n: UInt32) -> Int32 {
            let known = numbered[0][Int(n)]
            if known >= 0 { return known }
            let number = sources.number(vocabulary!.sources[Int(n)]).number
            numbered[0][Int(n)] = number
            return number
        }

        private static func severityNumber(_ severity: Severity) -> UInt32 {
            switch severity {
            case .low: 0
            case .medium: 1
            case .high: 2
            }
        }

        public consuming func finish() -> PreparedBatch {
            // Renumber each dimension's values in byte order (SQLite's text
            // order), so that buckets sort by integers in the table's order.
            let values = self.values.map(\.keys)
            var ordered = values
            var rank = [[UInt32]]()
            for d in values.indices {
                let order = values[d].indices.sorted { values[d][$0].utf8.lexicographicallyPrecedes(values[d][$1].utf8) }
                var r = [UInt32](repeating: 0, count: order.count)
                for (position, old) in order.enumerated() { r[old] = UInt32(position) }
                rank.append(r)
                ordered[d] = order.map { values[d][$0] }
            }
            // Hours in order; by hour number, its rank, and its local day's
            // rank among the batch's days (days follow hours in order).
            let hourKeys = hours.keys
            let hourOrder = hourKeys.indices.sorted { hourKeys[$0] < hourKeys[$1] }
            var hourRank = [Int32](repeating: 0, count: hourKeys.count)
            var dayRank = [Int32](repeating: 0, count: hourKeys.count)
            var days = 0
            for (position, h) in hourOrder.enumerated() {
                hourRank[h] = Int32(position)
                if position == 0 || dayOfHour[h] != dayOfHour[hourOrder[position - 1]] { days += 1 }
                dayRank[h] = Int32(days - 1)
            }
            let ranked = buckets.keys.enumerated().map { old, b in
                RankedBucket(bucket: Bucket(hour: b.hour, category: rank[0][Int(b.category)], site: rank[1][Int(b.site)],
                                            cohort: rank[2][Int(b.cohort)], channel: rank[3][Int(b.channel)],
                                            severity: rank[4][Int(b.severity)]),
                             old: Int32(old), hour: Int32(hours.find(b.hour)!))
            }
            let order = groupedSort(ranked, groups: hourKeys.count, group: { Int(hourRank[Int($0.hour)]) },
                                    by: { $0.bucket.precedes($1.bucket) })
            var renumber = [Int32](repeating: 0, count: order.count)
            for (position, b) in order.enumerated() { renumber[Int(b.old)] = Int32(position) }
            // Taken, not copied: `self` still holds the array, and a write
            // to a shared one would copy all of it (~7 MB a batch).
            var entries: [Entry] = []
            swap(&entries, &self.entries)
            for i in entries.indices { entries[i].bucket = renumber[Int(entries[i].bucket)] }
            // Sorted as small keys and put in order once: sorting the
            // ~80-byte entries themselves moved each of them ~17 times.
            // Ties (the same signal twice) keep file order: file, then
            // signal, which is the order entries were added in.
            var keys = [SortKey]()
            keys.reserveCapacity(entries.count)
            for (i, e) in entries.enumerated() {
                keys.append(SortKey(high: e.key.high.bigEndian, low: e.key.low.bigEndian, index: Int32(i),
                                    hour: hourRank[Int(e.hourNumber)]))
            }
            keys = groupedSort(keys, groups: hourKeys.count, group: { Int($0.hour) },
                               by: { a, b in (a.high, a.low, a.index) < (b.high, b.low, b.index) })
            entries = keys.map { entries[Int($0.index)] }
            let buckets = order.map(\.bucket)
            let bucketHours = order.map { Int($0.hour) }
            var profiles = Numbering<ProfileKey>()
            let profileOfBucket = buckets.map { profiles.number(ProfileKey($0)).number }
            let rows = Self.pupilRows(&entries, buckets: buckets, profiles: profiles.keys, profileOfBucket: profileOfBucket,
                                      weekOfHour: weekOfHour,
                                      days: bucketHours.map { dayOfHour[$0] }, dayRanks: bucketHours.map { dayRank[$0] },
                                      dayCount: days)
            return PreparedBatch(files: files, entries: entries, hours: hourKeys, buckets: buckets, values: ordered,
                                 sources: sources.keys, pupilRows: rows, profiles: profiles.keys, profileOfBucket: profileOfBucket)
        }

        /// Numbers the distinct pupil rows of `entries` in key order and
        /// sets each entry's `row`. (Sorted rather than hashed: no
        /// dictionary beside the batch while it is in flight.)
        ///
        /// A pupil row is kept per local **day**, not per hour: its hour is
        /// the first bucket hour of the signal's local day (`days`, by bucket;
        /// `dayRanks`, that day's rank among the batch's `dayCount` days).
        /// Rules count over days and weeks only (`WindowKind`), and a day
        /// window holds all of its day's hours, so every window counts the
        /// same pupils as with hourly rows; a pupil who signals in ten hours
        /// of a day is one row instead of ten (`make bench` 8: 875,000 rows
        /// for 1,000,000 signals became about a quarter of that), and the
        /// store keeps less about when a pupil was seen. Hourly rows written
        /// before count in the same windows, so no migration is needed. A
        /// changed `[schedule] timezone` places earlier rows by the old
        /// zone's days, as it already places their pupil keys' weeks.
        private static func pupilRows(_ entries: inout [Entry], buckets: [Bucket], profiles: [ProfileKey],
                                      profileOfBucket: [Int32], weekOfHour: [Int64], days: [Int64], dayRanks: [Int32],
                                      dayCount: Int) -> [PupilRows.Row] {
            // Each bucket's profile ranked in the table's order: a row's key
            // is then (day rank, profile rank) in one word and the pupil in
            // another, two words to compare instead of the row's six fields.
            let profileOrder = profiles.indices.sorted { a, b in
                let x = profiles[a], y = profiles[b]
                return (x.category, x.site, x.cohort, x.channel) < (y.category, y.site, y.cohort, y.channel)
            }
            var profileRank = [UInt32](repeating: 0, count: profiles.count)
            for (position, p) in profileOrder.enumerated() { profileRank[p] = UInt32(position) }
            var keyed: [RowKey] = []
            keyed.reserveCapacity(entries.count)
            for i in entries.indices {
                guard let pupil = entries[i].pupil else { continue }
                let bucket = Int(entries[i].bucket)
                keyed.append(RowKey(group: UInt64(UInt32(dayRanks[bucket])) << 32 | UInt64(profileRank[Int(profileOfBucket[bucket])]),
                                    pupil: Int64(bitPattern: pupil), entry: Int32(i)))
            }
            keyed = groupedSort(keyed, groups: dayCount, group: { Int($0.group >> 32) },
                                by: { a, b in (a.group, a.pupil, a.entry) < (b.group, b.pupil, b.entry) })
            var rows: [PupilRows.Row] = []
            var last: (group: UInt64, pupil: Int64)?
            for key in keyed {
                let i = Int(key.entry)
                if last == nil || last! != (key.group, key.pupil) {
                    let bucket = Int(entries[i].bucket)
                    rows.append(PupilRows.Row(hour: days[bucket], profile: profileOfBucket[bucket], pupil: entries[i].pupil!,
                                              week: weekOfHour[Int(entries[i].hourNumber)]))
                    last = (key.group, key.pupil)
                }
                entries[i].row = Int32(rows.count - 1)
            }
            return rows
        }
    }
}

/// An entry's place in the de-duplication index (its hour's rank, then
/// its key), and its position.
private struct SortKey {
    var high: UInt64
    var low: UInt64
    var index: Int32
    var hour: Int32
}

/// A pupil row's place in the table's order: its day's rank and its
/// profile's rank, its pupil (signed, as SQLite orders it), and the entry.
private struct RowKey {
    var group: UInt64
    var pupil: Int64
    var entry: Int32
}

/// A bucket with its numbers ranked, its number before, and its hour's
/// number.
private struct RankedBucket {
    var bucket: PreparedBatch.Bucket
    var old: Int32
    var hour: Int32
}

extension PreparedBatch.Bucket {
    func precedes(_ other: Self) -> Bool {
        (hour, category, site, cohort, channel, severity) < (other.hour, other.category, other.site, other.cohort, other.channel, other.severity)
    }
}
