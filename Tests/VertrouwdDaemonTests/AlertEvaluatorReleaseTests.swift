import Foundation
import Testing
import VertrouwdConfig
import VertrouwdCore
@testable import VertrouwdDaemon
import VertrouwdStore

/// The evaluator holds what it decides until a release tick, and sends
/// nothing for a frozen week (issue 13, findings 8 and 9): the daemon's
/// wiring of `HeldAlerts` and `AlertRelease` to the store.
@Suite struct AlertEvaluatorReleaseTests {
    let zone = TimeZone(identifier: "Europe/Amsterdam")!

    func configuration() throws -> Configuration {
        try schoolConfiguration(root: NSTemporaryDirectory() + "vertrouwd-release-\(UUID().uuidString)", extra: """
            [ingest]
            max_age = "14d"
            dedup_horizon = "15d"
            [[rule]]
            name = "r"
            kind = "threshold"
            match = ["grooming"]
            window = "day"
            min_count = 5
            group_by = []
            """)
    }

    /// Wednesday 2026-11-25 12:00 in Amsterdam: mid-week, the week before
    /// (2026-W47) closed.
    let now: Int64 = 1_795_604_400

    func add(_ store: MemoryStore, pupils: Range<Int>, at ts: Int64, now: Int64, evaluator: AlertEvaluator) throws {
        var batch = store.batchBuilder(zone: zone)
        let signals = pupils.map {
            Signal(id: "sig-\(ts)-\($0)", timestamp: ts, source: "webfilter", category: "grooming", severity: .medium,
                   subject: "pupil-\(String(repeating: "a", count: 12))\($0 + 1000)")
        }
        var digest = Array(repeating: UInt8(0), count: 32)
        digest[0] = UInt8(pupils.lowerBound % 256)
        digest[1] = UInt8(ts % 256)
        batch.add(IngestFile(digest: digest, signals: signals, rejections: []))
        let committed = try store.commitCounting(batch.finish(), now: now, day: LocalDay.string(for: now, in: zone))
        evaluator.counted(committed.addedPupils)
    }

    @Test func decisionsWaitForTheTickAndTwoBandsLeaveAsOneStampedAlert() throws {
        let config = try configuration()
        let store = MemoryStore(now: now - 30 * 86_400)
        let log = RecordingLog()
        let evaluator = AlertEvaluator(configuration: config, logger: log.logger)

        try add(store, pupils: 0..<5, at: now - 60, now: now, evaluator: evaluator)
        #expect(try evaluator.evaluate(store: store, now: now) == 1)
        #expect(try store.outbox().isEmpty, "held: nothing in the outbox before the tick")
        try add(store, pupils: 5..<10, at: now - 30, now: now + 10, evaluator: evaluator)
        #expect(try evaluator.evaluate(store: store, now: now + 10) == 1, "the second band joins the first")
        // A full pass (the store changed) does not decide them again.
        evaluator.storeChanged()
        #expect(try evaluator.evaluate(store: store, now: now + 20) == 1)

        let tick = AlertRelease.tick(forDecisionAt: now + 20, every: config.alerts.releaseEvery, in: zone)
        #expect(try evaluator.release(store: store, tick: tick) == 1, "one alert")
        #expect(try store.alertLog(since: 0).map(\.band).sorted() == [5, 10], "both bands logged")
        let sent = try store.outbox()
        #expect(!sent.isEmpty)
        #expect(Set(sent.map(\.id)).count == 1, "one alert")
        #expect(sent.allSatisfy { $0.createdAt == tick }, "stamped with the tick")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(sent[0].json.utf8)) as? [String: Any])
        #expect(json["at_least"] as? Int == 10)
        #expect(json["escalation"] as? Bool == false, "the first alert of the group")
        #expect(log.count(containing: "alert: rule r, window starting") == 1)
        #expect(log.count(containing: "at least 10") == 1)
        // Released: a second release at the next tick sends nothing.
        #expect(try evaluator.release(store: store, tick: tick + 900) == 0)
        #expect(try evaluator.evaluate(store: store, now: tick + 900) == 0)
    }

    @Test func nothingLeavesForAWindowInAPublishedWeekAndTheSignalsStayCounted() throws {
        let config = try configuration()
        let store = MemoryStore(now: now - 30 * 86_400)
        let log = RecordingLog()
        let evaluator = AlertEvaluator(configuration: config, logger: log.logger)
        let lastWeek = Window.containing(now, kind: .week, in: zone).previous(in: zone)
        #expect(try store.publish(week: lastWeek.label, windowStart: lastWeek.start, json: "{}", messages: [], now: now - 3_600))

        let late = lastWeek.start + 3 * 86_400 + 12 * 3_600
        try add(store, pupils: 0..<6, at: late, now: now, evaluator: evaluator)
        try add(store, pupils: 10..<15, at: now - 60, now: now, evaluator: evaluator)
        #expect(try evaluator.evaluate(store: store, now: now) == 2)
        let tick = AlertRelease.tick(forDecisionAt: now, every: config.alerts.releaseEvery, in: zone)
        #expect(try evaluator.release(store: store, tick: tick) == 1, "only today's alert")
        let sent = try store.outbox()
        let first = try #require(sent.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.json.utf8)) as? [String: Any])
        let window = try #require(json["window"] as? [String: String])
        #expect(window["start"] == LocalDay.string(for: now, in: zone))
        let lateDay = Window.containing(late, kind: .day, in: zone).label
        #expect(log.count(containing: "alert for a frozen week not sent: rule r, window \(lateDay)") == 1)
        #expect(try store.alertLog(since: 0).allSatisfy { $0.windowStart != Window.containing(late, kind: .day, in: zone).start },
                "an alert not sent is not logged as sent")
        #expect(try store.totalSignals() == 11, "nothing lost")
        // A full pass in the same process does not decide it again.
        evaluator.storeChanged()
        #expect(try evaluator.evaluate(store: store, now: tick + 1) == 0)
    }

    /// A release goes in parts (`releasePart`): each part records at most
    /// its limit, every part is stamped with the tick, and what is decided
    /// between parts waits for the next tick.
    @Test func aReleaseInPartsStampsEveryPartWithTheTickAndLeavesLaterDecisionsForTheNext() throws {
        let rules = (0..<10).map { n in
            """
            [[rule]]
            name = "r\(n)"
            kind = "threshold"
            match = ["grooming"]
            window = "day"
            min_count = 5
            group_by = []
            """
        }.joined(separator: "\n")
        let config = try schoolConfiguration(root: NSTemporaryDirectory() + "vertrouwd-release-\(UUID().uuidString)", extra: """
            [ingest]
            max_age = "14d"
            dedup_horizon = "15d"
            \(rules)
            """)
        let store = MemoryStore(now: now - 30 * 86_400)
        let evaluator = AlertEvaluator(configuration: config, logger: RecordingLog().logger)
        try add(store, pupils: 0..<5, at: now - 60, now: now, evaluator: evaluator)
        #expect(try evaluator.evaluate(store: store, now: now) == 10)
        let tick = AlertRelease.tick(forDecisionAt: now, every: config.alerts.releaseEvery, in: zone)

        let first = try evaluator.releasePart(store: store, tick: tick, limit: 4)
        #expect(first.alerts == 4 && !first.done)
        // Five more pupils between parts: ten escalations (band 10), held
        // for the next tick.
        try add(store, pupils: 5..<10, at: now - 30, now: now + 1, evaluator: evaluator)
        #expect(try evaluator.evaluate(store: store, now: now + 1) == 16, "ten new, six of the tick's still to write")
        let second = try evaluator.releasePart(store: store, tick: tick, limit: 4)
        #expect(second.alerts == 4 && !second.done)
        let third = try evaluator.releasePart(store: store, tick: tick, limit: 4)
        #expect(third.alerts == 2 && third.done, "the tick's ten, and no more")
        let atTick = try store.outbox()
        #expect(Set(atTick.map(\.id)).count == 10)
        #expect(atTick.allSatisfy { $0.createdAt == tick })
        #expect(try store.alertLog(since: 0).allSatisfy { $0.band == 5 })

        // A full pass meanwhile decides nothing again.
        evaluator.storeChanged()
        #expect(try evaluator.evaluate(store: store, now: now + 2) == 10, "the ten escalations, still held")
        #expect(try evaluator.release(store: store, tick: tick + 900) == 10)
        let all = try store.outbox()
        #expect(Set(all.map(\.id)).count == 20)
        #expect(all.filter { $0.createdAt == tick + 900 }.count == all.count / 2)
        #expect(try store.alertLog(since: 0).filter { $0.band == 10 }.count == 10)
    }
}
