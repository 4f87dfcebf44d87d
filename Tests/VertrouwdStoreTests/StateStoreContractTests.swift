import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// What every `StateStore` must do: the same tests against SQLite and the
/// in-memory twin.
@Suite struct StateStoreContractTests {
    /// Lives as long as the test: the SQLite store's folder.
    let scratch = Scratch()

    func make(_ kind: StoreKind, now: Int64 = 1_000) throws -> any StateStore {
        try kind.make(in: scratch, now: now)
    }

    // MARK: Ingest: idempotent, exact

    /// Spool files reach the store packed (`PackedSignal`): values are
    /// numbers in their validator's vocabulary. Files of two validators
    /// whose vocabularies number the same values differently (a reload
    /// between them), and a file packed in its own, share one batch: every
    /// value lands in its own bucket, and one pupil is one pupil.
    @Test(arguments: StoreKind.allCases)
    func filesPackedInDifferentVocabulariesCountInTheSameBuckets(kind: StoreKind) throws {
        func validator(sites: [String], sources: [String]) -> SignalValidator {
            SignalValidator(taxonomy: Taxonomy(categories: Vocabulary(["grooming", "distress"]), sites: Vocabulary(sites),
                                               cohorts: Vocabulary([]), channels: Vocabulary([])),
                            sources: sources, ingest: IngestSettings())
        }
        let subject = "Ab-Cd_0123456789xyzXYZ"
        func line(_ id: String, _ site: String, category: String = "grooming") -> String {
            #"{"v":1,"id":"\#(id)","ts":"2025-11-29T10:15:00Z","source":"chatguard","category":"\#(category)","site":"\#(site)","subject":"\#(subject)"}"#
        }
        let now: Int64 = 1_764_411_600 // 10:20 UTC
        let a = validator(sites: ["noord", "zuid"], sources: ["webfilter", "chatguard"])
        let b = validator(sites: ["zuid", "noord"], sources: ["chatguard"])
        let first = SignalFile(bytes: Array([line("sig-0000001", "noord"), line("sig-0000002", "zuid", category: "distress")]
            .joined(separator: "\n").utf8), validator: a, now: now)
        let second = SignalFile(bytes: Array([line("sig-0000003", "noord"), line("sig-0000004", "zuid")]
            .joined(separator: "\n").utf8), validator: b, now: now)
        let again = SignalFile(bytes: Array(line("sig-0000005", "zuid").utf8), validator: a, now: now)
        #expect(first.packed.map(\.site) == [1, 2] && second.packed.map(\.site) == [2, 1], "the two number the sites apart")
        let own = file(4, [Signal(id: "sig-0000006", timestamp: 1_764_410_400, source: "chatguard", category: "grooming",
                                  site: "noord", severity: .medium, subject: subject)])
        let store = try make(kind)
        let outcomes = try store.count([IngestFile(digest: digest(1), file: first), IngestFile(digest: digest(2), file: second),
                                        IngestFile(digest: digest(3), file: again), own], now: now, day: "2025-11-29")
        #expect(outcomes.map(\.accepted) == [2, 2, 1, 1])
        let hour: Int64 = 1_764_410_400 / 3600
        let counts = Dictionary(grouping: try store.buckets(hours: hour..<hour + 1), by: { "\($0.category)/\($0.site)" })
            .mapValues { $0.reduce(0) { $0 + $1.count } }
        #expect(counts == ["grooming/noord": 3, "grooming/zuid": 2, "distress/zuid": 1])
        // A pupil row stands for the signal's local day.
        let pupils = try store.pupilBuckets(hours: hour - 24..<hour + 24)
        #expect(pupils.count == 3)
        #expect(Set(pupils.flatMap(\.pupils)).count == 1, "one subject, one pupil, whichever file it came in")
        #expect(try store.health(day: "2025-11-29")["chatguard"]?["accepted"] == 6)
    }

    @Test(arguments: StoreKind.allCases)
    func theSumOfCountsIsExactlyTheAcceptedSignals(kind: StoreKind) throws {
        let store = try make(kind)
        let outcomes = try store.count([
            file(1, [signal("sig-00001"), signal("sig-00002", count: 7)], rejections: [.badTimestamp]),
            file(2, [signal("sig-00003", category: "sextortion.payment", site: nil)]),
        ], now: 1_764_410_500, day: "2026-11-29")
        #expect(outcomes == [IngestOutcome(accepted: 8), IngestOutcome(accepted: 1)])
        #expect(try store.totalSignals() == 9)
        let health = try store.health(day: "2026-11-29")
        #expect(health["webfilter"]?["accepted"] == 9)
        #expect(health[""]?["bad_timestamp"] == 1, "a rejected line's source is not trusted")
        // Two signals in the same hour and group share one bucket.
        #expect(try store.buckets(hours: 0..<Int64.max).map(\.count) == [8, 1])
    }

    @Test(arguments: StoreKind.allCases)
    func aSignalSeenBeforeCountsOnce(kind: StoreKind) throws {
        let store = try make(kind)
        _ = try store.count([file(1, [signal("sig-00001")])], now: 0, day: "d")
        let again = try store.count([file(2, [signal("sig-00001"), signal("sig-00002")])], now: 0, day: "d")
        #expect(again == [IngestOutcome(accepted: 1, duplicates: 1)])
        // Twice within one batch: the first counts.
        let twice = try store.count([file(3, [signal("sig-00004")]), file(4, [signal("sig-00004", count: 9)])], now: 0, day: "d")
        #expect(twice == [IngestOutcome(accepted: 1), IngestOutcome(duplicates: 1)])
        // The same id from another source is another signal.
        let other = try store.count([file(5, [signal("sig-00001", source: "chatguard")])], now: 0, day: "d")
        #expect(other == [IngestOutcome(accepted: 1)])
        #expect(try store.totalSignals() == 4)
        #expect(try store.health(day: "d")["webfilter"] == ["accepted": 3, "duplicate": 2])
    }

    @Test(arguments: StoreKind.allCases)
    func aFileWithTheSameDigestCountsOnceAlsoWithinOneBatch(kind: StoreKind) throws {
        let store = try make(kind)
        let same = file(9, [signal("sig-00001")], rejections: [.badID])
        #expect(try store.count([same, same], now: 0, day: "d") == [IngestOutcome(accepted: 1), IngestOutcome(alreadyProcessed: true)])
        // Under another name, with other signals: the digest decides.
        let renamed = file(9, [signal("sig-00002")])
        #expect(try store.count([renamed], now: 0, day: "d") == [IngestOutcome(alreadyProcessed: true)])
        #expect(try store.totalSignals() == 1)
        #expect(try store.health(day: "d")[""] == ["bad_id": 1], "a file counted once has its rejections counted once")
    }

    @Test(arguments: StoreKind.allCases)
    func aCommitReturnsItsIncrementsInKeyOrder(kind: StoreKind) throws {
        let store = try make(kind)
        _ = try store.count([file(1, [signal("sig-00001", at: 7_200)])], now: 0, day: "d")
        let committed = try store.commitFiles([file(2, [
            signal("sig-00002", at: 7_200, count: 3), signal("sig-00003", at: 3_600, site: "b"),
            signal("sig-00004", at: 3_600, site: "B"), signal("sig-00005", at: 3_600, site: "a"),
            signal("sig-00001", at: 7_200), // a duplicate adds nothing
        ])], now: 0, day: "d")
        // The source's one pupil of the week is new in each hour-1 group,
        // and already there in hour 2's (the first commit put it there).
        // Pupil rows stand for a local day, at its first hour: hour 0.
        #expect(committed.addedPupils.map { "\($0.hour) \($0.site) \($0.count)" } == ["0 B 1", "0 a 1", "0 b 1"],
                "byte order: B < a < b; the increment, not the total")
        #expect(try store.buckets(hours: 2..<3).map(\.count) == [4], "the stored total")
    }

    @Test(arguments: StoreKind.allCases)
    func bucketsOfAnHourRangeComeInKeyOrderWithUnknownsAsEmpty(kind: StoreKind) throws {
        let store = try make(kind)
        _ = try store.count([file(1, [
            signal("a-00000001", at: 3_600 * 10 + 5, category: "sextortion.threat"),
            signal("a-00000002", at: 3_600 * 11, count: 4, site: nil, channel: nil),
            signal("a-00000003", at: 3_600 * 12),
            signal("a-00000004", at: 3_600 * 10 + 7, category: "grooming"),
        ], rejections: [.badID])], now: 0, day: "2026-11-29")
        let rows = try store.buckets(hours: 10..<12)
        #expect(rows.map { "\($0.hour) \($0.category) \($0.count)" } == ["10 grooming 1", "10 sextortion.threat 1", "11 grooming 4"])
        #expect(rows[2].site == "" && rows[2].cohort == "" && rows[2].channel == "")
        var streamed: [StoredBucket] = []
        try store.forEachBucket(hours: 10..<12) { streamed.append($0) }
        #expect(streamed == rows)
        #expect(try store.health(days: "2026-11-23"..."2026-11-29") == ["accepted": 7, "bad_id": 1])
        #expect(try store.health(days: "2026-11-30"..."2026-12-06").isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func filesRejectedWholeAreCountedPerReason(kind: StoreKind) throws {
        let store = try make(kind)
        _ = try store.count([], rejectedFiles: ["symlink", "oversize", "symlink"], now: 0, day: "d")
        #expect(try store.health(day: "d")[""] == ["file_symlink": 2, "file_oversize": 1])
        #expect(try store.totalSignals() == 0)
    }

    // MARK: Alert log

    @Test(arguments: StoreKind.allCases)
    func anAlertIsRecordedOnceWithItsMessages(kind: StoreKind) throws {
        let store = try make(kind)
        let key = AlertLogKey(rule: "sextortion-acuut", windowStart: 1_795_906_800, group: GroupKey([.site: .known("hoofdgebouw"), .channel: .known("instagram")]), band: 5)
        #expect(key.group == "channel=instagram;site=hoofdgebouw", "groups are canonical whatever their order")
        #expect(try store.record([([key], [message("m1"), message("m1", route: .socket)])], now: 1_000) == [key])
        // The same decision again (a restart, a reload): nothing new.
        #expect(try store.record([([key], [message("m2")])], now: 2_000).isEmpty)
        #expect(try store.outbox().map { "\($0.id) \($0.route)" } == ["m1 email", "m1 socket"])
        #expect(try store.alertLog(since: 0) == [key])
        #expect(try store.alertLog(since: 1_795_906_801).isEmpty)
        #expect(try key.groupKey() == GroupKey([.channel: .known("instagram"), .site: .known("hoofdgebouw")]))
    }

    @Test(arguments: StoreKind.allCases)
    func aDecisionLogsEveryBandItCrossedAndSendsOnlyWhenItsOwnIsNew(kind: StoreKind) throws {
        let store = try make(kind)
        let bands = [5, 10, 20].map { AlertLogKey(rule: "r", windowStart: 0, group: .wholeSchool, band: $0) }
        #expect(try store.record([(bands, [message("jump")])], now: 1) == [bands[2]])
        #expect(try store.alertLog(since: 0) == Set(bands))
        #expect(try store.record([([bands[1]], [message("late")])], now: 2).isEmpty)
        #expect(try store.outbox().map(\.id) == ["jump"])
    }

    // MARK: Outbox

    @Test(arguments: StoreKind.allCases)
    func anEntryIsEnqueuedOncePendingWithNoAttempts(kind: StoreKind) throws {
        let store = try make(kind)
        var stale = message("a")
        stale.state = .delivered
        stale.attempts = 3
        try store.enqueue([stale, message("a"), message("a", route: .socket), message("a", to: "other")])
        let all = try store.outbox()
        #expect(all.map { "\($0.id) \($0.recipient) \($0.route)" } == ["a other email", "a vp email", "a vp socket"])
        #expect(all.allSatisfy { $0.state == .pending && $0.attempts == 0 && $0.lastError == nil && $0.nextAttemptAt == 1_000 })
    }

    @Test(arguments: StoreKind.allCases)
    func dueEntriesComePerRouteOldestFirst(kind: StoreKind) throws {
        let store = try make(kind)
        try store.enqueue([message("c", at: 300), message("b", at: 200), message("a", at: 200), message("s", route: .socket, at: 100),
                           message("later", at: 900)])
        #expect(try store.dueMessages(route: .email, now: 300).map(\.id) == ["a", "b", "c"])
        #expect(try store.dueMessages(route: .email, now: 300, limit: 2).map(\.id) == ["a", "b"])
        #expect(try store.dueMessages(route: .socket, now: 300).map(\.id) == ["s"])
        #expect(try store.dueMessages(route: .socket, now: 99).isEmpty)
        #expect(try store.nextDueTime(route: .email) == 200)
        #expect(try store.nextDueTime(route: .socket) == 100)
    }

    @Test(arguments: StoreKind.allCases)
    func aRetryKeepsTheIdAndFinishedEntriesLeaveTheQueue(kind: StoreKind) throws {
        let store = try make(kind)
        try store.enqueue([message("a", at: 100), message("b", at: 200)])
        try store.settle(id: "a", recipient: "vp", route: .email, outcome: .retry(at: 400, reason: "451 try later"), now: 150)
        #expect(try store.dueMessages(route: .email, now: 300).map(\.id) == ["b"])
        #expect(try store.nextDueTime(route: .email) == 200)
        try store.settle(id: "b", recipient: "vp", route: .email, outcome: .failed(reason: "550 no such user"), now: 300)
        let due = try store.dueMessages(route: .email, now: 500)
        #expect(due.map(\.id) == ["a"])
        #expect(due.first?.attempts == 1)
        #expect(due.first?.lastError == "451 try later")
        #expect(due.first?.nextAttemptAt == 400)
        try store.settle(id: "a", recipient: "vp", route: .email, outcome: .delivered, now: 500)
        #expect(try store.dueMessages(route: .email, now: 10_000).isEmpty)
        #expect(try store.nextDueTime(route: .email) == nil)
        let all = try store.outbox()
        #expect(all.map(\.state) == [.delivered, .failed])
        #expect(all.map(\.attempts) == [2, 1])
        #expect(all.map(\.lastError) == [nil, "550 no such user"])
    }

    @Test(arguments: StoreKind.allCases)
    func givenUpEntriesAreCountedInTheWeekTheyFailed(kind: StoreKind) throws {
        let store = try make(kind)
        try store.enqueue([message("a"), message("b"), message("c"), message("d")])
        try store.settle(id: "a", recipient: "vp", route: .email, outcome: .failed(reason: "given up"), now: 5_000)
        try store.settle(id: "b", recipient: "vp", route: .email, outcome: .failed(reason: "550"), now: 6_000)
        try store.settle(id: "c", recipient: "vp", route: .email, outcome: .delivered, now: 5_500)
        try store.settle(id: "d", recipient: "vp", route: .email, outcome: .retry(at: 9_000, reason: "421"), now: 5_500)
        #expect(try store.failedDeliveries(from: 5_000, to: 6_000) == 1, "[from, to)")
        #expect(try store.failedDeliveries(from: 0, to: 10_000) == 2)
        #expect(try store.failedDeliveries(from: 6_001, to: 10_000) == 0)
    }

    // MARK: Summaries

    @Test(arguments: StoreKind.allCases)
    func aPublishedWeekIsFrozenByteForByte(kind: StoreKind) throws {
        let store = try make(kind)
        let frozen = "{\"week\":\"2026-W48\",\"text\":\"één — <5\\n\",\"tab\":\"\t\"}\r\nend"
        #expect(try store.lastPublishedWeekStart() == nil)
        #expect(try store.publish(week: "2026-W48", windowStart: 100, json: frozen, messages: [message("s1")], now: 1))
        #expect(try !store.publish(week: "2026-W48", windowStart: 100, json: "second", messages: [message("s2")], now: 2))
        #expect(try store.publishedSummary(week: "2026-W48").map { Array($0.utf8) } == Array(frozen.utf8))
        #expect(try store.publishedSummary(week: "2026-W49") == nil)
        #expect(try store.outbox().map(\.id) == ["s1"], "a refused publication enqueues nothing")
        #expect(try store.publish(week: "2026-W47", windowStart: 50, json: "older", messages: [], now: 3))
        #expect(try store.lastPublishedWeekStart() == 100)
    }

    // MARK: Meta and purge

    @Test(arguments: StoreKind.allCases)
    func theCreationTimeIsTheInjectedClock(kind: StoreKind) throws {
        let store = try make(kind, now: 1_796_000_123)
        #expect(try store.createdAt() == 1_796_000_123)
    }

    @Test(arguments: StoreKind.allCases)
    func purgeRemovesOnlyWhatIsOlderThanItsLimit(kind: StoreKind) throws {
        let store = try make(kind)
        let week: Int64 = 604_800
        let now: Int64 = 1_764_410_400
        _ = try store.count([
            file(1, [signal("old-signal", at: now - 110 * week)]),
            file(2, [signal("new-signal", at: now - 3_600)]),
        ], now: now - 9 * 86_400, day: "2024-10-01")
        _ = try store.count([file(3, [signal("fresh-sig", at: now - 60)])], now: now - 60, day: "2025-12-01")
        let result = try store.purge(now: now, retentionSeconds: 104 * week, dedupHorizonSeconds: 8 * 86_400, oldestDay: "2024-11-30")
        #expect(result == PurgeResult(buckets: 1, pupils: 1, seenSignals: 1, processedFiles: 2, healthDays: 1))
        #expect(try store.totalSignals() == 2)
        #expect(try store.health(day: "2024-10-01").isEmpty)
        #expect(try store.health(day: "2025-12-01")["webfilter"] == ["accepted": 1])
        // A purged digest may be counted again; a kept key still stops its signal.
        #expect(try store.count([file(4, [signal("fresh-sig", at: now - 60)])], now: now, day: "d") == [IngestOutcome(duplicates: 1)])
        #expect(try store.count([file(1, [signal("other-sig", at: now - 60)])], now: now, day: "d") == [IngestOutcome(accepted: 1)])
        #expect(try store.purge(now: now, retentionSeconds: 104 * week, dedupHorizonSeconds: 8 * 86_400, oldestDay: "2024-11-30")
            == PurgeResult(), "a second purge finds nothing")
    }

    /// Releases older than the cut-off go: alert log entries of earlier
    /// windows, summaries of earlier weeks (but never the latest, which
    /// says what week comes next), and settled messages made before it,
    /// with their bodies. A pending message stays however old.
    @Test(arguments: StoreKind.allCases)
    func purgingReleasesRemovesOnlyWhatLeftBeforeTheCutOff(kind: StoreKind) throws {
        let store = try make(kind)
        let cut: Int64 = 10_000
        let old = AlertLogKey(rule: "r", windowStart: cut - 1, group: .wholeSchool, band: 5)
        let kept = AlertLogKey(rule: "r", windowStart: cut, group: .wholeSchool, band: 5)
        _ = try store.record([([old], [message("a-old", at: cut - 1)]), ([kept], [message("a-new", at: cut)])], now: cut)
        try store.enqueue([message("stuck", at: 1), message("failed", at: cut - 100)])
        for id in ["a-old", "a-new"] { try store.settle(id: id, recipient: "vp", route: .email, outcome: .delivered, now: cut) }
        try store.settle(id: "failed", recipient: "vp", route: .email, outcome: .failed(reason: "refused"), now: cut)
        #expect(try store.publish(week: "W1", windowStart: cut - 2_000, json: "one", messages: [], now: cut))
        #expect(try store.publish(week: "W2", windowStart: cut - 1_000, json: "two", messages: [], now: cut))

        #expect(try store.purgeReleases(before: cut) == ReleasePurgeResult(alerts: 1, summaries: 1, messages: 2))
        #expect(try store.alertLog(since: 0) == [kept])
        #expect(try store.publishedSummary(week: "W1") == nil)
        #expect(try store.publishedSummary(week: "W2") == "two", "the latest summary stays, though older than the cut-off")
        #expect(try store.lastPublishedWeekStart() == cut - 1_000)
        #expect(try store.outbox().map(\.id).sorted() == ["a-new", "stuck"], "the pending message stays")
        #expect(try store.purgeReleases(before: cut) == ReleasePurgeResult(), "a second purge finds nothing")
        // The kept message's body is still whole.
        #expect(try store.outbox().first { $0.id == "a-new" }?.text == "tekst")
    }

    /// The bodies of purged messages are gone from the database file.
    @Test func purgedMessageBodiesAreGoneFromTheFile() throws {
        let store = try SignalStore(path: scratch.db, now: 1)
        var secret = message("old", at: 5)
        secret.text = "purge-me-body-marker-1234"
        try store.enqueue([secret])
        try store.settle(id: "old", recipient: "vp", route: .email, outcome: .delivered, now: 6)
        func fileHolds() throws -> Bool {
            try store.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            return try Data(contentsOf: URL(fileURLWithPath: scratch.db)).range(of: Data("purge-me-body-marker".utf8)) != nil
        }
        #expect(try fileHolds())
        #expect(try store.purgeReleases(before: 10).messages == 1)
        #expect(try !fileHolds(), "secure_delete overwrote the body")
    }
}
