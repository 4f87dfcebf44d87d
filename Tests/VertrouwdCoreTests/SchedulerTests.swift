import Foundation
import Testing
import VertrouwdCore

@Suite("Scheduler: when the ingest loop does what")
struct SchedulerTests {
    let zone = Clock.amsterdam

    func settings(every: Interval = .minutes(15), rescan: Interval = Interval(seconds: 60), watchdog: Int64? = nil) -> Scheduler.Settings {
        Scheduler.Settings(evaluateEvery: every, zone: zone, rescan: rescan, watchdog: watchdog)
    }

    @Test func theFirstPassIsReadyBeforeItDrainsAndDoesEverythingOnce() {
        let t = Clock.local(2026, 11, 30, 10, 14) + 30
        var d = SchedulerDriver(settings(), wall: t)
        #expect(d.feed(.started) == Scheduler.Step(.prepare))
        #expect(d.feed(.prepared) == Scheduler.Step([.ready], .drain))
        #expect(d.feed(.drained) == Scheduler.Step(.evaluate(at: t)))
        #expect(d.feed(.evaluated) == Scheduler.Step(.publish(at: t)), "summaries are checked at start")
        #expect(d.feed(.published(nextDue: t + 86_400)) == Scheduler.Step(.maintain(at: t)))
        // The next tick (10:15) comes before the rescan (60 s).
        #expect(d.feed(.maintained) == Scheduler.Step([.idle], .wait(milliseconds: 30_000)))

        d.clock.advance(seconds: 30)
        let tick = d.pass(from: d.feed(.woke))
        #expect(tick.actions == [.prepare, .drain, .evaluate(at: t + 30), .wait(milliseconds: 60_000)])
        #expect(tick.notifications == [.idle], "READY once")

        d.clock.advance(seconds: 60)
        let rescan = d.pass(from: d.feed(.woke))
        #expect(rescan.actions == [.prepare, .drain, .wait(milliseconds: 60_000)], "no tick, no summary, no maintenance due")
    }

    @Test func evaluateEveryZeroEvaluatesAfterEveryDrain() {
        let t = Clock.local(2026, 11, 30, 10)
        var d = SchedulerDriver(settings(every: .zero), wall: t)
        var steps = d.pass(from: d.feed(.started))
        for _ in 0..<4 {
            d.clock.advance(milliseconds: 250) // woken by new files
            steps += d.pass(from: d.feed(.woke))
        }
        #expect(steps.actions.filter { $0 == .drain }.count == 5)
        #expect(steps.evaluations.count == 5)
        // Without a tick the wait is the rescan's (or the summary's, or maintenance's).
        #expect(steps.last?.action == .wait(milliseconds: 60_000))
    }

    @Test func aProcessThatSleptPastSeveralTicksEvaluatesOnce() {
        let t = Clock.local(2026, 11, 30, 10)
        var d = SchedulerDriver(settings(), wall: t)
        _ = d.pass(from: d.feed(.started))
        // Suspended for 67 minutes: four ticks went by.
        d.clock.advance(seconds: 67 * 60)
        let steps = d.run(until: Clock.local(2026, 11, 30, 11, 16), start: .woke)
        #expect(steps.evaluations == [Clock.local(2026, 11, 30, 11, 7), Clock.local(2026, 11, 30, 11, 15)])
    }

    @Test func dailyTicksAre23And25HoursApartOnDSTDays() {
        for (start, end, hours) in [
            (Clock.local(2026, 3, 28, 12), Clock.local(2026, 3, 31, 1), 23),
            (Clock.local(2026, 10, 24, 12), Clock.local(2026, 10, 27, 1), 25),
        ] {
            var d = SchedulerDriver(settings(every: .days(1), rescan: .days(1)), wall: start)
            let evaluations = d.run(until: end).evaluations
            #expect(evaluations.count == 4, "\(evaluations)")
            guard evaluations.count == 4 else { continue }
            #expect(evaluations.dropFirst().allSatisfy { Clock.wallClock($0) == (hour: 0, minute: 0) })
            #expect(evaluations[2] - evaluations[1] == Int64(hours) * 3_600)
            #expect(evaluations[3] - evaluations[2] == 24 * 3_600)
        }
    }

    @Test func quarterHourTicksJumpTheSpringGap() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        var d = SchedulerDriver(settings(rescan: .days(1)), wall: Clock.utc(2026, 3, 29, 0, 40))
        let evaluations = d.run(until: Clock.utc(2026, 3, 29, 1, 31)).evaluations
        #expect(evaluations == [40, 45, 60, 75, 90].map { Clock.utc(2026, 3, 29) + Int64($0) * 60 })
        #expect(Clock.wallClock(evaluations[2]) == (hour: 3, minute: 0))
    }

    @Test func aFailingStoreBacksOffDoublingToAMinuteAndResumes() {
        var d = SchedulerDriver(settings(), wall: Clock.local(2026, 11, 30, 10))
        #expect(d.feed(.started).action == .prepare)
        #expect(d.feed(.failed(reason: "disk full")) == Scheduler.Step([.ready, .degraded(reason: "disk full")], .wait(milliseconds: 1_000)),
                "READY also when degraded")
        var waits: [Int64] = [1_000]
        for _ in 0..<7 {
            d.clock.advance(milliseconds: waits.last!)
            #expect(d.feed(.woke).action == .prepare)
            let step = d.feed(.failed(reason: "disk full"))
            #expect(step.notifications.isEmpty, "degraded is told once")
            guard case .wait(let ms) = step.action else { Issue.record("\(step)"); return }
            waits.append(ms)
        }
        #expect(waits == [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000])

        // A new file wakes the loop early: the back-off stands.
        d.clock.advance(milliseconds: 20_000)
        #expect(d.feed(.woke) == Scheduler.Step(.wait(milliseconds: 40_000)))
        d.clock.advance(milliseconds: 40_000)
        let resumed = d.pass(from: d.feed(.woke))
        #expect(resumed.actions.prefix(4) == [.prepare, .drain, .evaluate(at: d.clock.seconds), .publish(at: d.clock.seconds)])
        #expect(resumed.notifications == [.resumed, .idle])

        // The next failure starts the back-off again at one second.
        d.clock.advance(milliseconds: 1_000)
        _ = d.feed(.woke)
        _ = d.feed(.prepared)
        #expect(d.feed(.failed(reason: "read-only")) == Scheduler.Step([.degraded(reason: "read-only")], .wait(milliseconds: 1_000)))
    }

    @Test func aStoreFromANewerVersionEndsTheLoopWithoutARetry() {
        // At any action of a running loop: mid-pass, and while degraded.
        var d = SchedulerDriver(settings(watchdog: 10_000), wall: Clock.local(2026, 11, 30, 10))
        _ = d.pass(from: d.feed(.started))
        d.clock.advance(seconds: 60)
        #expect(d.feed(.woke).action == .prepare)
        #expect(d.feed(.prepared).action == .drain)
        #expect(d.feed(.failedForGood(reason: "newer schema")) == Scheduler.Step(.exit), "no back-off, no degraded, no ping")
        #expect(d.scheduler.hasEnded)
        #expect(d.scheduler.heartbeat(now: d.clock.time) == false)
        #expect(d.feed(.woke) == Scheduler.Step(.exit))

        var e = SchedulerDriver(settings(), wall: Clock.local(2026, 11, 30, 10))
        _ = e.feed(.started)
        #expect(e.feed(.failed(reason: "busy")).notifications == [.ready, .degraded(reason: "busy")])
        e.clock.advance(seconds: 1)
        #expect(e.feed(.woke).action == .prepare)
        #expect(e.feed(.failedForGood(reason: "newer schema")) == Scheduler.Step(.exit))
    }

    @Test func theWatchdogIsPingedWhileDegraded() {
        var d = SchedulerDriver(settings(watchdog: 10_000), wall: Clock.local(2026, 11, 30, 10))
        var step = d.feed(.started)
        var pings: [Int64] = []
        var retries: [Int64] = []
        while d.clock.time.monotonic < 200_000 {
            switch step.action {
            case .prepare:
                retries.append(d.clock.time.monotonic)
                step = d.feed(.failed(reason: "disk full"))
            case .wait(let ms):
                d.clock.advance(milliseconds: ms)
                step = d.feed(.woke)
            default:
                Issue.record("unexpected \(step)")
                return
            }
            if step.notifications.contains(.watchdog) { pings.append(d.clock.time.monotonic) }
        }
        #expect(retries == [0, 1, 3, 7, 15, 31, 63, 123, 183].map { Int64($0) * 1_000 })
        #expect(pings.first == 0)
        #expect(zip(pings, pings.dropFirst()).allSatisfy { $1 - $0 <= 9_000 }, "\(pings)")
        #expect(pings.count >= 200 / 9)
    }

    @Test func aBacklogIsDrainedAfterReadyWithTheWatchdogPinged() {
        var d = SchedulerDriver(settings(watchdog: 10_000), wall: Clock.local(2026, 11, 30, 10, 1))
        _ = d.feed(.started)
        #expect(d.feed(.prepared) == Scheduler.Step([.ready, .watchdog], .drain), "READY before the backlog is worked off")
        // The drain commits a batch every 3 s for 30 s.
        var beats: [Bool] = []
        for _ in 0..<10 {
            d.clock.advance(seconds: 3)
            beats.append(d.scheduler.heartbeat(now: d.clock.time))
        }
        #expect(beats == [false, false, true, false, false, true, false, false, true, false])
        _ = d.pass(from: d.feed(.drained))
        // new/ keeps filling: every wake-up drains again, and rules wait for their tick.
        var steps: [Scheduler.Step] = []
        for _ in 0..<5 {
            d.clock.advance(milliseconds: 100)
            steps += d.pass(from: d.feed(.woke))
        }
        #expect(steps.actions.filter { $0 == .drain }.count == 5)
        #expect(steps.evaluations.isEmpty)
        #expect(!steps.notifications.contains(.ready))
    }

    @Test func aReloadInTheMiddleOfADrainGoesOnInTheSameLoopWithANewPass() {
        let t = Clock.local(2026, 11, 30, 10)
        var d = SchedulerDriver(settings(every: .zero), wall: t)
        _ = d.pass(from: d.feed(.started))
        d.clock.advance(seconds: 1)
        #expect(d.feed(.woke).action == .prepare)
        #expect(d.feed(.prepared).action == .drain)
        // The reload arrives while the drain runs: the drain ends after its
        // batch and its outcome is handled; then the new settings.
        #expect(d.feed(.drained).action == .evaluate(at: d.clock.seconds))
        let reloaded = settings(every: .minutes(15), rescan: Interval(seconds: 30))
        #expect(d.feed(.reload(reloaded)) == Scheduler.Step(.prepare), "a new pass, not an exit")
        #expect(!d.scheduler.hasEnded)
        #expect(d.scheduler.settings == reloaded)
        let pass = d.pass(from: d.steps.last!)
        // The rest of the backlog is drained and evaluated (the last
        // evaluation was at 10:00, so the 10:00 tick is done and 10:15 is
        // next), the summary is checked and maintenance runs again.
        #expect(pass.actions == [.prepare, .drain, .publish(at: d.clock.seconds), .maintain(at: d.clock.seconds),
                                 .wait(milliseconds: 30_000)])
        #expect(!d.steps.notifications.dropFirst().contains(.ready), "READY once, for the whole loop")
    }

    @Test func aReloadPlansTheNextTickAgainFromTheLastEvaluation() {
        let t = Clock.local(2026, 11, 30, 10)
        // Every 15 minutes, evaluated at 10:00; at 10:05 the interval becomes an hour.
        var d = SchedulerDriver(settings(), wall: t)
        _ = d.pass(from: d.feed(.started))
        d.clock.set(wall: t + 5 * 60)
        let hourly = d.pass(from: d.feed(.reload(settings(every: .hours(1), rescan: .days(1)))))
        #expect(hourly.evaluations.isEmpty)
        #expect(hourly.last?.action == .wait(milliseconds: 55 * 60_000), "until 11:00, not 10:15")

        // At 10:20 the interval becomes 5 minutes: the 10:05 tick is overdue,
        // so the next pass evaluates at once, and then at 10:25.
        var e = SchedulerDriver(settings(), wall: t)
        _ = e.pass(from: e.feed(.started))
        e.clock.set(wall: t + 20 * 60)
        let often = e.pass(from: e.feed(.reload(settings(every: .minutes(5), rescan: .days(1)))))
        #expect(often.evaluations == [t + 20 * 60])
        #expect(often.last?.action == .wait(milliseconds: 5 * 60_000))
    }

    @Test func aReloadWhileDegradedKeepsTheBackOff() {
        var d = SchedulerDriver(settings(), wall: Clock.local(2026, 11, 30, 10))
        _ = d.feed(.started)
        _ = d.feed(.failed(reason: "disk full"))
        d.clock.advance(milliseconds: 1_000)
        _ = d.feed(.woke)
        #expect(d.feed(.failed(reason: "disk full")) == Scheduler.Step(.wait(milliseconds: 2_000)))
        d.clock.advance(milliseconds: 500)
        #expect(d.feed(.reload(settings(every: .hours(1)))) == Scheduler.Step(.wait(milliseconds: 1_500)))
        d.clock.advance(milliseconds: 1_500)
        let pass = d.pass(from: d.feed(.woke))
        #expect(pass.notifications == [.resumed, .idle], "degraded stays told once; resumed when a pass gets through")
    }

    @Test func stopEndsTheLoopAfterAReloadToo() {
        var d = SchedulerDriver(settings(), wall: Clock.local(2026, 11, 30, 10))
        _ = d.pass(from: d.feed(.started))
        #expect(d.feed(.reload(settings(every: .hours(1)))) == Scheduler.Step(.prepare))
        #expect(d.feed(.stop) == Scheduler.Step(.exit))
        #expect(d.feed(.reload(settings())) == Scheduler.Step(.exit))
    }

    @Test func stopEndsTheLoopWithoutAnotherNotification() {
        var d = SchedulerDriver(settings(watchdog: 10_000), wall: Clock.local(2026, 11, 30, 10))
        _ = d.pass(from: d.feed(.started))
        d.clock.advance(seconds: 60)
        #expect(d.feed(.stop) == Scheduler.Step(.exit))
        #expect(d.scheduler.heartbeat(now: d.clock.time) == false)
        #expect(d.feed(.woke) == Scheduler.Step(.exit))
    }

    @Test func maintenanceRunsHourlyAndBoundsTheWait() {
        var d = SchedulerDriver(settings(every: .days(1), rescan: .days(1)), wall: Clock.local(2026, 11, 30, 10, 30))
        let steps = d.run(until: Clock.local(2026, 11, 30, 13, 30))
        let maintained = steps.compactMap { if case .maintain(let at) = $0.action { at } else { nil } }
        #expect(maintained == [10, 11, 12, 13].map { Clock.local(2026, 11, 30, $0, 30) })
    }
}
