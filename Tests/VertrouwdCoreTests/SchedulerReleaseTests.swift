import Foundation
import Testing
import VertrouwdCore

/// The release step of the scheduler (issue 13, finding 9): alerts leave
/// only at aligned release ticks, however often the rules run.
@Suite("Scheduler: alerts leave at release ticks")
struct SchedulerReleaseTests {
    let zone = Clock.amsterdam

    func settings(every: Interval = .zero, release: Interval = .minutes(15), rescan: Interval = Interval(seconds: 60)) -> Scheduler.Settings {
        Scheduler.Settings(evaluateEvery: every, zone: zone, rescan: rescan, releaseEvery: release)
    }

    @Test func evaluationAfterEveryBatchReleasesOnlyAtQuarterHours() {
        let t = Clock.local(2026, 11, 30, 10, 3) + 17
        var d = SchedulerDriver(settings(), wall: t)
        var steps = d.pass(from: d.feed(.started))
        #expect(steps.releases.isEmpty, "no release before the first tick after the start")
        // New files every 50 s for 40 minutes: evaluated after every drain.
        while d.clock.seconds < Clock.local(2026, 11, 30, 10, 43) {
            guard case .wait(let ms) = steps.last?.action else { break }
            d.clock.advance(milliseconds: min(ms, 50_000))
            steps += d.pass(from: d.feed(.woke))
        }
        #expect(steps.evaluations.count > 40)
        #expect(steps.releases == [Clock.local(2026, 11, 30, 10, 15), Clock.local(2026, 11, 30, 10, 30)])
        // Every release is on the local quarter hour, and the wait before
        // it ends on that instant.
        for at in steps.releases { #expect(Clock.wallClock(at).minute % 15 == 0) }
    }

    @Test func theReleaseComesAfterTheEvaluationAndBeforeTheSummaryCheck() {
        let tick = Clock.local(2026, 11, 30, 10, 15)
        var d = SchedulerDriver(settings(), wall: tick)
        #expect(d.feed(.started) == Scheduler.Step(.prepare))
        #expect(d.feed(.prepared) == Scheduler.Step([.ready], .drain))
        #expect(d.feed(.drained) == Scheduler.Step(.evaluate(at: tick)))
        #expect(d.feed(.evaluated) == Scheduler.Step(.release(at: tick)), "started on a tick: released on it")
        #expect(d.feed(.released) == Scheduler.Step(.publish(at: tick)))
        #expect(d.feed(.published(nextDue: tick + 86_400)) == Scheduler.Step(.maintain(at: tick)))
        // Without a tick of its own ("0s"), the wait ends at the next release.
        #expect(d.feed(.maintained) == Scheduler.Step([.idle], .wait(milliseconds: 60_000)))
        d.clock.advance(seconds: 14 * 60 + 30)
        #expect(d.pass(from: d.feed(.woke)).last?.action == .wait(milliseconds: 30_000))
    }

    @Test func aProcessThatSleptPastSeveralReleaseTicksReleasesOnceStampedWithTheLast() {
        // Held at 10:05 for the 10:15 tick, then asleep until 11:07.
        let t = Clock.local(2026, 11, 30, 10, 5)
        var d = SchedulerDriver(settings(every: .minutes(15)), wall: t)
        #expect(d.pass(from: d.feed(.started)).releases.isEmpty)
        d.clock.advance(seconds: 62 * 60)
        let steps = d.pass(from: d.feed(.woke))
        #expect(steps.releases == [Clock.local(2026, 11, 30, 11)])
        #expect(steps.evaluations == [Clock.local(2026, 11, 30, 11, 7)])
    }

    @Test func aFailedReleaseIsTriedAgainAfterTheBackOff() {
        let tick = Clock.local(2026, 11, 30, 10, 15)
        var d = SchedulerDriver(settings(), wall: tick)
        d.feed(.started, .prepared, .drained)
        #expect(d.feed(.evaluated).action == .release(at: tick))
        d.clock.advance(seconds: 1)
        #expect(d.feed(.failed(reason: "disk full")).action == .wait(milliseconds: 1_000))
        d.clock.advance(seconds: 1)
        let retry = d.pass(from: d.feed(.woke))
        #expect(retry.releases == [tick], "the same tick, still due")
    }

    @Test func hourlyReleasesAcrossTheAutumnChangeTickTwiceAtTheRepeatedHour() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
        var d = SchedulerDriver(settings(release: .hours(1), rescan: .days(1)), wall: Clock.utc(2026, 10, 24, 23, 30))
        let releases = d.run(until: Clock.utc(2026, 10, 25, 3, 1)).releases
        #expect(releases == [0, 1, 2, 3].map { Clock.utc(2026, 10, 25, $0) })
        #expect(releases.map { Clock.wallClock($0).hour } == [2, 2, 3, 4])
    }

    @Test func aReloadPlansTheNextReleaseUnderTheNewInterval() {
        let t = Clock.local(2026, 11, 30, 10)
        var d = SchedulerDriver(settings(), wall: t)
        let first = d.pass(from: d.feed(.started))
        #expect(first.releases == [t])
        d.clock.advance(seconds: 60)
        _ = d.pass(from: d.feed(.reload(settings(release: .hours(1)))))
        let steps = d.run(until: Clock.local(2026, 11, 30, 11, 1), start: .woke)
        #expect(steps.releases == [Clock.local(2026, 11, 30, 11)], "not at 10:15, 10:30 or 10:45")
    }

    /// A release in parts drains the spool (and evaluates, when due)
    /// between parts, all at the same tick; the summary check comes after
    /// the last part.
    @Test func aReleaseInPartsDrainsBetweenPartsAtTheSameTick() {
        let tick = Clock.local(2026, 11, 30, 10, 15)
        var d = SchedulerDriver(settings(), wall: tick)
        d.feed(.started, .prepared, .drained)
        #expect(d.feed(.evaluated) == Scheduler.Step(.release(at: tick)))
        d.clock.advance(milliseconds: 3)
        #expect(d.feed(.releasedInPart) == Scheduler.Step(.drain))
        #expect(d.feed(.drained) == Scheduler.Step(.evaluate(at: tick)), "0s: evaluated after every drain")
        #expect(d.feed(.evaluated) == Scheduler.Step(.release(at: tick)))
        d.clock.advance(seconds: 1)
        #expect(d.feed(.releasedInPart) == Scheduler.Step(.drain))
        _ = d.feed(.drained)
        #expect(d.feed(.evaluated) == Scheduler.Step(.release(at: tick)), "the same tick, a second later")
        #expect(d.feed(.released) == Scheduler.Step(.publish(at: tick + 1)))
    }

    @Test func withATickOfItsOwnTheEvaluationIsNotRepeatedBetweenParts() {
        let tick = Clock.local(2026, 11, 30, 10, 15)
        var d = SchedulerDriver(settings(every: .minutes(15)), wall: tick)
        d.feed(.started, .prepared)
        #expect(d.feed(.drained) == Scheduler.Step(.evaluate(at: tick)))
        #expect(d.feed(.evaluated) == Scheduler.Step(.release(at: tick)))
        #expect(d.feed(.releasedInPart) == Scheduler.Step(.drain))
        #expect(d.feed(.drained) == Scheduler.Step(.release(at: tick)))
        #expect(d.feed(.released).action == .publish(at: tick))
    }

    @Test func aFailedPartIsTriedAgainAtTheLatestTick() {
        let tick = Clock.local(2026, 11, 30, 10, 15)
        var d = SchedulerDriver(settings(), wall: tick)
        _ = d.pass(from: d.feed(.started))
        d.clock.advance(seconds: 15 * 60)
        d.feed(.woke, .prepared, .drained)
        #expect(d.feed(.evaluated).action == .release(at: tick + 900))
        #expect(d.feed(.releasedInPart).action == .drain)
        #expect(d.feed(.failed(reason: "disk full")).action == .wait(milliseconds: 1_000))
        d.clock.advance(seconds: 15 * 60)
        let retry = d.pass(from: d.feed(.woke))
        #expect(retry.releases == [tick + 1_800], "planned afresh after the back-off")
    }

    /// With nothing held, no release tick wakes the loop (`make bench` 4:
    /// a release every second woke every thread every second).
    @Test func withNothingHeldNoReleaseTickWakesTheLoop() {
        let t = Clock.local(2026, 11, 30, 10, 3) + 17
        var d = SchedulerDriver(settings(release: Interval(seconds: 1)), wall: t)
        d.feed(.started, .prepared, .drained)
        #expect(d.feed(.evaluatedNoneHeld) == Scheduler.Step(.publish(at: t)))
        _ = d.feed(.published(nextDue: t + 86_400))
        #expect(d.feed(.maintained) == Scheduler.Step([.idle], .wait(milliseconds: 60_000)), "the rescan, not the next second")
    }

    /// A decision after ticks passed with nothing held waits for the first
    /// tick at or after it, never leaves at once stamped with a tick
    /// before it (finding 9).
    @Test func aDecisionAfterQuietTicksWaitsForTheNextTick() {
        let t = Clock.local(2026, 11, 30, 9, 50)
        var d = SchedulerDriver(settings(), wall: t)
        d.feed(.started, .prepared, .drained, .evaluatedNoneHeld, .published(nextDue: t + 86_400), .maintained)
        d.clock.advance(seconds: 17 * 60 + 10) // 10:07:10, the 10:00 tick passed
        d.feed(.woke, .prepared)
        #expect(d.feed(.drained) == Scheduler.Step(.evaluate(at: Clock.local(2026, 11, 30, 10, 7) + 10)))
        #expect(d.feed(.evaluated) == Scheduler.Step([.idle], .wait(milliseconds: 60_000)), "not released at once")
        let steps = d.run(until: Clock.local(2026, 11, 30, 10, 16), start: .woke)
        #expect(steps.releases == [Clock.local(2026, 11, 30, 10, 15)])
    }

    /// Alerts held between the parts of a release wait for the next tick,
    /// which wakes the loop though no later evaluation says so again.
    @Test func alertsHeldBetweenPartsWakeTheLoopAtTheNextTick() {
        let tick = Clock.local(2026, 11, 30, 10, 15)
        var d = SchedulerDriver(settings(rescan: .hours(1)), wall: tick)
        d.feed(.started, .prepared, .drained)
        #expect(d.feed(.evaluated).action == .release(at: tick))
        #expect(d.feed(.releasedInPart).action == .drain)
        _ = d.feed(.drained)
        #expect(d.feed(.evaluated).action == .release(at: tick), "new alerts held between parts")
        #expect(d.feed(.released).action == .publish(at: tick))
        _ = d.feed(.published(nextDue: tick + 86_400))
        #expect(d.feed(.maintained) == Scheduler.Step([.idle], .wait(milliseconds: 900_000)), "the next tick, not the hourly rescan")

        // Had nothing been held between parts, only the rescan wakes it.
        var quiet = SchedulerDriver(settings(rescan: .hours(1)), wall: tick)
        quiet.feed(.started, .prepared, .drained, .evaluated, .releasedInPart, .drained, .evaluatedNoneHeld, .released, .published(nextDue: tick + 86_400))
        #expect(quiet.feed(.maintained) == Scheduler.Step([.idle], .wait(milliseconds: 3_600_000)))
    }
}
