import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// Pupils in the store (issue 13): subjects re-keyed per week, signals
/// without one counted as one pupil per source and week, and shredding.
@Suite struct PupilStoreTests {
    let scratch = Scratch()
    /// Sunday 2025-11-30 10:00 UTC and the Monday after.
    let sunday: Int64 = 1_764_496_800
    var monday: Int64 { sunday + 86_400 }
    // (Both at 10:00 UTC: a week's hours run from hour(of: …) − 10.)

    func make(_ kind: StoreKind) throws -> any StateStore {
        try kind.make(in: scratch, now: sunday - 30 * 86_400)
    }

    func pupil(_ id: String, at ts: Int64, subject: String?, source: String = "webfilter", category: String = "grooming") -> Signal {
        var s = signal(id, at: ts, category: category, source: source)
        s.subject = subject
        return s
    }

    func pupils(_ store: any StateStore, _ range: Range<Int64>) throws -> Set<PupilID> {
        Set(try store.pupilBuckets(hours: range).flatMap(\.pupils))
    }

    var subjectA: String { "pupil-aaaaaaaaaaaaaaaa" }
    var subjectB: String { "pupil-bbbbbbbbbbbbbbbb" }

    @Test(arguments: StoreKind.allCases)
    func aSubjectIsOnePupilWithinAWeekAndAnotherInTheNext(kind: StoreKind) throws {
        let store = try make(kind)
        let committed = try store.commitFiles([file(1, [
            pupil("sig-00001", at: sunday - 7_200, subject: subjectA),
            pupil("sig-00002", at: sunday, subject: subjectA, category: "sextortion.payment"),
            pupil("sig-00003", at: sunday, subject: subjectB),
            pupil("sig-00004", at: monday, subject: subjectA),
        ])], now: monday, day: "2025-12-01")
        let week = SignalStore.hour(of: sunday - 6 * 86_400) - 10 ..< SignalStore.hour(of: monday) - 10
        #expect(try pupils(store, week).count == 2, "A three times and B: two pupils")
        // A pupil row stands for its local day, at the day's first hour
        // (UTC here): Monday's is at 00:00.
        let mondayStart = SignalStore.hour(of: monday) - 10
        #expect(try pupils(store, SignalStore.hour(of: monday) ..< .max).isEmpty, "no row at the signal's own hour")
        let next = try pupils(store, mondayStart ..< mondayStart + 1)
        #expect(next.count == 1)
        #expect(next.isDisjoint(with: try pupils(store, week)), "the Monday's id of A is not the Sunday's")
        // What the commit reports as new is what the store holds.
        #expect(Set(committed.addedPupils.flatMap(\.pupils)) == (try pupils(store, 0 ..< .max)))
    }

    /// A pupil row stands for a local day (PreparedBatch.pupilRows): one
    /// subject in many hours of a day is one row, at the day's first hour
    /// in the school's zone, so every day and week window counts it as
    /// before, also on the day the clocks go back (25 hours).
    @Test(arguments: StoreKind.allCases)
    func aPupilIsOneRowPerLocalDayAtItsFirstHour(kind: StoreKind) throws {
        let store = try make(kind)
        let zone = TimeZone(identifier: "Europe/Amsterdam")!
        // Sunday 2025-10-26: 25 local hours, from 2025-10-25 22:00 UTC.
        let day = Window.day(label: "2025-10-26", in: zone)!
        #expect(day.hours.count == 25)
        var batch = store.batchBuilder(zone: zone)
        batch.add(file(1, day.hours.enumerated().map { i, hour in
            pupil("sig-\(String(repeating: "a", count: i + 1))", at: hour * 3_600 + 1_800, subject: subjectA)
        }))
        let committed = try store.commitCounting(batch.finish(), now: day.end, day: "2025-10-26")
        #expect(committed.addedPupils.map(\.hour) == [day.hours.lowerBound], "one row, at 22:00 UTC of the day before")
        #expect(try store.totalSignals() == 25, "every signal is still counted in its hour")
        #expect(try store.buckets(hours: day.hours).count == 25)
        // The day and its week see the pupil once; the days around it not.
        #expect(try pupils(store, day.hours).count == 1)
        let week = Window.containing(day.start, kind: .week, in: zone)
        #expect(try pupils(store, week.hours).count == 1)
        #expect(try pupils(store, day.previous(in: zone).hours).isEmpty)
        #expect(try pupils(store, day.next(in: zone).hours).isEmpty)
    }

    /// The commit reports as added exactly the pupil rows that were not
    /// stored yet (`PupilRows.insert`): here 120 rows in two groups, of
    /// which 30 were stored by the batch before and one comes twice (two
    /// signals, one row).
    @Test(arguments: StoreKind.allCases)
    func aCommitReportsOnlyThePupilRowsNotStoredBefore(kind: StoreKind) throws {
        let store = try make(kind)
        let subject = { (n: Int) in String(format: "pupil-%016d", n) }
        let first = try store.commitFiles([file(1, (0..<60).map { pupil(String(format: "one-%05d", $0), at: sunday, subject: subject($0)) })],
                                          now: monday, day: "d")
        #expect(first.addedPupils.reduce(0) { $0 + $1.pupils.count } == 60)
        let stored = try pupils(store, 0 ..< .max)
        // Subjects 30..<90 in grooming (30..<60 stored), 0..<60 in payment
        // (none stored), and subject 70 twice.
        let signals = (30..<90).map { pupil(String(format: "two-%05d", $0), at: sunday, subject: subject($0)) }
            + (0..<60).map { pupil(String(format: "pay-%05d", $0), at: sunday, subject: subject($0), category: "sextortion.payment") }
            + [pupil("two-again", at: sunday + 60, subject: subject(70))]
        let second = try store.commitFiles([file(2, signals)], now: monday, day: "d")
        let added = second.addedPupils.flatMap { bucket in bucket.pupils.map { "\(bucket.category) \($0)" } }
        #expect(added.count == 90, "30 new grooming rows and 60 payment rows")
        #expect(Set(added).count == 90)
        #expect(second.addedPupils.map(\.category) == ["grooming", "sextortion.payment"])
        let grooming = Set(second.addedPupils.filter { $0.category == "grooming" }.flatMap(\.pupils))
        #expect(grooming.count == 30 && grooming.isDisjoint(with: stored), "none of the stored rows is reported again")
        #expect(try pupils(store, 0 ..< .max) == stored.union(grooming), "the payment ids are this week's ids of stored pupils")
        #expect(second.outcomes == [IngestOutcome(accepted: 121)])
    }

    @Test(arguments: StoreKind.allCases)
    func signalsWithoutASubjectAreOnePupilPerSourceAndWeek(kind: StoreKind) throws {
        let store = try make(kind)
        _ = try store.count([file(1, (0..<10).map { pupil("sig-0000\($0)", at: sunday - Int64($0) * 3_600, subject: nil) }
            + [pupil("helpdesk-1", at: sunday, subject: nil, source: "helpdesk")])], now: monday, day: "d")
        #expect(try pupils(store, 0 ..< .max).count == 2, "ten webfilter signals are one pupil, the help desk one more")
        #expect(try store.totalSignals() == 11, "the signals are all counted as signals")
        // A repeat adds no pupil row.
        let again = try store.commitFiles([file(2, [pupil("sig-99999", at: sunday, subject: nil)])], now: monday, day: "d")
        #expect(again.addedPupils.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func shreddingCondensesAWeekAndDestroysItsKey(kind: StoreKind) throws {
        let store = try make(kind)
        let lastWeek = PupilWeek.ordinal(containing: sunday, in: TimeZone(identifier: "UTC")!)
        _ = try store.count([file(1, [
            pupil("sig-00001", at: sunday, subject: subjectA),
            pupil("sig-00002", at: sunday - 3_600, subject: subjectA),
            pupil("sig-00003", at: sunday, subject: subjectB),
            pupil("sig-00004", at: monday, subject: subjectA),
        ])], now: monday, day: "d")
        let before = try store.pupilBuckets(hours: 0 ..< .max)
        // A's two Sunday hours are one day row: A and B on Sunday, two rows.
        #expect(try store.shred(beforeWeek: lastWeek + 1, firstHour: SignalStore.hour(of: monday) - 10) == 2)
        #expect(store.oldestKeyedWeek() == lastWeek + 1)
        let after = try store.pupilBuckets(hours: 0 ..< .max)
        // The week's group still counts two pupils, as a number.
        let sundayWeek = SignalStore.hour(of: sunday - 6 * 86_400) - 10 ..< SignalStore.hour(of: monday) - 10
        let condensed = after.filter { sundayWeek.contains($0.hour) }
        #expect(condensed.count == 1 && condensed.first?.count == 2)
        #expect(Set(condensed.flatMap(\.pupils)).isDisjoint(with: before.flatMap(\.pupils)), "no old id is left")
        // Monday's week keeps its ids, and its key: A again is the same pupil.
        _ = try store.count([file(2, [pupil("sig-00005", at: monday + 60, subject: subjectA)])], now: monday, day: "d")
        #expect(try pupils(store, SignalStore.hour(of: monday) - 10 ..< .max).count == 1)
        // A late signal of the shredded week adds no pupil (a lower bound).
        let late = try store.commitFiles([file(3, [pupil("sig-00006", at: sunday, subject: "pupil-cccccccccccccccc")])],
                                         now: monday, day: "d")
        #expect(late.addedPupils.isEmpty)
        #expect(late.outcomes == [IngestOutcome(accepted: 1)])
        // Shredding again is a no-op.
        #expect(try store.shred(beforeWeek: lastWeek + 1, firstHour: SignalStore.hour(of: monday) - 10) == 0)
    }

    @Test func aShreddedIdIsGoneFromTheDatabaseFile() throws {
        let store = try SignalStore(path: scratch.db, now: sunday - 30 * 86_400)
        let committed = try store.commitFiles([file(1, [pupil("sig-00001", at: sunday, subject: subjectA)])], now: monday, day: "d")
        let id = try #require(committed.addedPupils.first?.pupils.first)
        let bytes = withUnsafeBytes(of: Int64(bitPattern: id).bigEndian) { Array($0) }
        func fileHolds() throws -> Bool {
            var all = try Data(contentsOf: URL(fileURLWithPath: scratch.db))
            if let wal = try? Data(contentsOf: URL(fileURLWithPath: scratch.db + "-wal")) { all.append(wal) }
            return all.range(of: Data(bytes)) != nil
        }
        try store.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        #expect(try fileHolds(), "SQLite stores the id as 8 big-endian bytes")
        _ = try store.shred(beforeWeek: PupilWeek.ordinal(containing: monday, in: TimeZone(identifier: "UTC")!),
                            firstHour: SignalStore.hour(of: monday) - 10)
        #expect(try !fileHolds())
    }

    /// The batch's memo of subjects holds their bytes inline
    /// (`PupilKeyring`): subjects that differ only in their last byte, or
    /// only in length, are two pupils; the same bytes from two places are
    /// one; a week apart they are two ids; and the memo gives the id a
    /// fresh keyring works out.
    @Test func theSubjectMemoTellsSubjectsApartByEveryByte() {
        let chain = PupilChain(week: 10, secret: Array(repeating: 7, count: 32))
        var ring = PupilKeyring(chain: chain)
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 64)
        var lastDiffers = long
        lastDiffers[63] = UInt8(ascii: "b")
        let short = Array(long.prefix(16))
        func id(_ ring: inout PupilKeyring, _ subject: [UInt8], week: Int64 = 11) -> PupilID? {
            subject.withUnsafeBytes { s in Array("webfilter".utf8).withUnsafeBytes { ring.pupil(subject: s, source: $0, sourceNumber: 0, week: week) } }
        }
        let ids = [id(&ring, long), id(&ring, lastDiffers), id(&ring, short), id(&ring, Array(long.prefix(17)))]
        #expect(Set(ids.compactMap { $0 }).count == 4)
        #expect(id(&ring, Array(long)) == ids[0], "the same bytes again")
        #expect(id(&ring, long, week: 12) != ids[0], "another week, another key")
        var fresh = PupilKeyring(chain: chain)
        #expect(id(&fresh, lastDiffers) == ids[1])
        #expect(id(&ring, long, week: 9) == nil, "a week whose key is gone adds no pupil")
    }

    @Test func theChainOnlyMovesForward() {
        let chain = PupilChain(week: 10, secret: Array(repeating: 7, count: 32))
        let moved = chain.advanced(to: 12)
        #expect(chain.key(for: 12) == moved.key(for: 12), "later weeks keep their keys")
        #expect(moved.key(for: 11) == nil, "earlier weeks' keys are gone")
        #expect(chain.key(for: 10) != chain.key(for: 11))
    }
}
