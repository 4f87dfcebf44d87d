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
        let week = SignalStore.hour(of: sunday - 6 * 86_400) ..< SignalStore.hour(of: monday)
        #expect(try pupils(store, week).count == 2, "A three times and B: two pupils")
        let next = try pupils(store, SignalStore.hour(of: monday) ..< SignalStore.hour(of: monday) + 1)
        #expect(next.count == 1)
        #expect(next.isDisjoint(with: try pupils(store, week)), "the Monday's id of A is not the Sunday's")
        // What the commit reports as new is what the store holds.
        #expect(Set(committed.addedPupils.flatMap(\.pupils)) == (try pupils(store, 0 ..< .max)))
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
        #expect(try store.shred(beforeWeek: lastWeek + 1, firstHour: SignalStore.hour(of: monday) - 10) == 3)
        #expect(store.oldestKeyedWeek() == lastWeek + 1)
        let after = try store.pupilBuckets(hours: 0 ..< .max)
        // The week's group still counts two pupils, as a number.
        let sundayWeek = SignalStore.hour(of: sunday - 6 * 86_400) ..< SignalStore.hour(of: monday)
        let condensed = after.filter { sundayWeek.contains($0.hour) }
        #expect(condensed.count == 1 && condensed.first?.count == 2)
        #expect(Set(condensed.flatMap(\.pupils)).isDisjoint(with: before.flatMap(\.pupils)), "no old id is left")
        // Monday's week keeps its ids, and its key: A again is the same pupil.
        _ = try store.count([file(2, [pupil("sig-00005", at: monday + 60, subject: subjectA)])], now: monday, day: "d")
        #expect(try pupils(store, SignalStore.hour(of: monday) ..< .max).count == 1)
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

    @Test func theChainOnlyMovesForward() {
        let chain = PupilChain(week: 10, secret: Array(repeating: 7, count: 32))
        let moved = chain.advanced(to: 12)
        #expect(chain.key(for: 12) == moved.key(for: 12), "later weeks keep their keys")
        #expect(moved.key(for: 11) == nil, "earlier weeks' keys are gone")
        #expect(chain.key(for: 10) != chain.key(for: 11))
    }
}
