import Foundation
import Testing
import VertrouwdConfig
import VertrouwdCore
@testable import VertrouwdDaemon
import VertrouwdSpool
import VertrouwdStore

/// Maintenance shreds the weeks that are frozen and past max_age (issue 13):
/// the daemon's wiring of `PupilWeek.keptFrom` to `StateStore.shred`.
@Suite struct ShredPupilsTests {
    let root = NSTemporaryDirectory() + "vertrouwd-shred-\(UUID().uuidString)"

    @Test func maintenanceShredsOnlyTheWeeksNoLongerNeeded() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let config = try schoolConfiguration(root: root, spool: #"rescan = "1d""#)
        try SpoolDirectory(root: config.spool.path).prepare()
        let zone = config.school.timeZone
        let now = Int64(Date().timeIntervalSince1970)
        let week: Int64 = 604_800
        let store = MemoryStore(now: now - 10 * week)
        func signal(_ id: String, at ts: Int64) -> Signal {
            Signal(id: id, timestamp: ts, source: "webfilter", category: "grooming", severity: .medium,
                   subject: "pupil-aaaaaaaaaaaaaaaa")
        }
        var batch = store.batchBuilder(zone: zone)
        batch.add(IngestFile(digest: Array(repeating: 1, count: 32),
                             signals: [signal("old-00001", at: now - 5 * week), signal("new-00001", at: now - 60)],
                             rejections: []))
        _ = try store.commitCounting(batch.finish(), now: now, day: "2026-12-02")
        let log = RecordingLog()
        let loop = IngestLoop(configuration: config, logger: log.logger)

        loop.maintain(store, now: now)

        // Nothing was ever published: only the weeks before the catch-up
        // limit and max_age go; this week and last week stay keyed.
        let current = PupilWeek.ordinal(containing: now, in: zone)
        let kept = PupilWeek.keptFrom(now: now, maxAge: config.ingest.maxAge.seconds, zone: zone, lastPublished: nil,
                                      catchUpWeeks: config.summary.catchUpWeeks, createdAt: now - 10 * week)
        #expect(kept == current - 1)
        #expect(store.oldestKeyedWeek() == kept)
        let buckets = try store.pupilBuckets(hours: 0 ..< .max)
        #expect(buckets.count == 2, "the old week condensed, this week's row kept")
        #expect(log.count(containing: "pupil keys destroyed up to \(PupilWeek.window(ordinal: kept - 1, in: zone).label)") == 1)
        // A second maintenance has nothing to do and says nothing.
        loop.maintain(store, now: now + 60)
        #expect(log.count(containing: "pupil keys destroyed") == 1)
    }

    /// Maintenance purges what left (alert log, summaries, settled
    /// messages) once it is older than retention_weeks, max_age and a week,
    /// and nothing younger: the rules, the trend and the disclosure check
    /// still read that.
    @Test func maintenancePurgesReleasesOnlyPastRetentionAndMaxAge() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let config = try schoolConfiguration(root: root, spool: #"rescan = "1d""#)
        try SpoolDirectory(root: config.spool.path).prepare()
        let now = Int64(Date().timeIntervalSince1970)
        let store = MemoryStore(now: now - 200 * 604_800)
        let cut = now - Int64(config.state.retentionWeeks) * 604_800 - config.ingest.maxAge.seconds - 604_800
        let old = AlertLogKey(rule: "r", windowStart: cut - 3_600, group: .wholeSchool, band: 5)
        let young = AlertLogKey(rule: "r", windowStart: cut + 3_600, group: .wholeSchool, band: 5)
        _ = try store.record([([old], []), ([young], [])], now: now)
        #expect(try store.publish(week: "old", windowStart: cut - 3_600, json: "{}", messages: [], now: now))
        #expect(try store.publish(week: "young", windowStart: cut + 3_600, json: "{}", messages: [], now: now))
        let log = RecordingLog()
        let loop = IngestLoop(configuration: config, logger: log.logger)

        loop.maintain(store, now: now)

        #expect(try store.alertLog(since: .min) == [young])
        #expect(try store.publishedSummary(week: "old") == nil)
        #expect(try store.publishedSummary(week: "young") == "{}")
        #expect(log.count(containing: "purged what left before the retention") == 1)
        loop.maintain(store, now: now + 60)
        #expect(log.count(containing: "purged what left before the retention") == 1, "nothing more to purge, nothing said")
    }

    /// At the shortest retention (one week), what the rules still read of
    /// the alert log (from `alertLogStart`) stays: a window there that lost
    /// its log entry could be alerted a second time.
    @Test func maintenanceKeepsTheAlertLogTheRulesRead() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var config = try schoolConfiguration(root: root, spool: #"rescan = "1d""#)
        config.state.retentionWeeks = 1
        try SpoolDirectory(root: config.spool.path).prepare()
        let now = Int64(Date().timeIntervalSince1970)
        let store = MemoryStore(now: now - 200 * 604_800)
        let loop = IngestLoop(configuration: config, logger: RecordingLog().logger)
        let start = loop.evaluator.alertLogStart(now: now)
        let read = AlertLogKey(rule: "r", windowStart: start, group: .wholeSchool, band: 5)
        let older = AlertLogKey(rule: "r", windowStart: start - 1, group: .wholeSchool, band: 5)
        _ = try store.record([([read], []), ([older], [])], now: now)

        loop.maintain(store, now: now)

        #expect(try store.alertLog(since: .min) == [read])
    }
}
