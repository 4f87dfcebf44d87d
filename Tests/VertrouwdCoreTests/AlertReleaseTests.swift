import Foundation
import Testing
import VertrouwdCore

/// When a decided alert may leave (`AlertRelease`, `HeldAlerts`; issue 13,
/// findings 8 and 9).
@Suite("Alert release: aligned ticks and frozen weeks")
struct AlertReleaseTests {
    let zone = Clock.amsterdam

    func decision(_ rule: String = "r", window: Window, site: String = "hoofdgebouw", band: Int, first: Int = 5) -> AlertDecision {
        let group = GroupKey([.site: .known(site)])
        let bands = AlertBands.crossed(by: band, base: first).filter { $0 <= band }
        return AlertDecision(rule: rule, window: window, group: group, atLeast: band, escalation: band > first,
                             severity: .high, logKeys: bands.map { AlertKey(rule: rule, windowStart: window.start, group: group, band: $0) })
    }

    // MARK: - Ticks (finding 9)

    @Test func aDecisionIsReleasedAtTheNextLocalQuarterHour() {
        let quarter = Clock.local(2026, 11, 30, 10, 15)
        let every = Interval.minutes(15)
        #expect(AlertRelease.tick(forDecisionAt: quarter, every: every, in: zone) == quarter, "on a tick: that tick")
        for offset: Int64 in [-899, -600, -1] {
            #expect(AlertRelease.tick(forDecisionAt: quarter + offset, every: every, in: zone) == quarter)
        }
        #expect(AlertRelease.tick(forDecisionAt: quarter + 1, every: every, in: zone) == quarter + 900)
        #expect(Clock.wallClock(AlertRelease.tick(forDecisionAt: quarter + 7 * 60, every: every, in: zone)) == (hour: 10, minute: 30))
    }

    @Test func theLatestTickIsAtOrBeforeTheClock() {
        let quarter = Clock.local(2026, 11, 30, 10, 15)
        let every = Interval.minutes(15)
        #expect(AlertRelease.latestTick(atOrBefore: quarter, every: every, in: zone) == quarter)
        #expect(AlertRelease.latestTick(atOrBefore: quarter + 899, every: every, in: zone) == quarter)
        #expect(AlertRelease.latestTick(atOrBefore: quarter - 1, every: every, in: zone) == quarter - 900)
        // Daily: local midnight, also the morning after a 25-hour day.
        let afterAutumn = Clock.local(2026, 10, 25, 23, 30)
        #expect(AlertRelease.latestTick(atOrBefore: afterAutumn, every: .days(1), in: zone) == Clock.local(2026, 10, 25))
    }

    /// Every second of a day with a DST change, in both directions: the
    /// release tick is a tick (`Tick`), at or after the decision, with no
    /// tick in between; the stamp of a release is the latest tick.
    @Test(arguments: [(2026, 3, 29), (2026, 10, 25)])
    func releaseTicksAcrossDSTAreTheTicksOfTheLocalClock(day: (Int, Int, Int)) {
        let every = Interval.minutes(15)
        let start = Clock.utc(day.0, day.1, day.2) - 3_600
        let ticks = Tick.ticks(from: start - 3_600, to: start + 30 * 3_600, every: every, in: zone)
        let tickSet = Set(ticks)
        for instant in stride(from: start, to: start + 26 * 3_600, by: 37) {
            let release = AlertRelease.tick(forDecisionAt: instant, every: every, in: zone)
            #expect(tickSet.contains(release) && release >= instant)
            #expect(!ticks.contains { $0 >= instant && $0 < release })
            let stamp = AlertRelease.latestTick(atOrBefore: instant, every: every, in: zone)
            #expect(tickSet.contains(stamp) && stamp <= instant)
            #expect(!ticks.contains { $0 > stamp && $0 <= instant })
            // The local clock at a release shows a quarter hour.
            #expect(Clock.wallClock(release).minute % 15 == 0)
        }
    }

    @Test func theSpringGapReleasesAtTheJump() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC; with hourly
        // releases the 02:00 slot does not exist and the jump is the tick.
        let jump = Clock.utc(2026, 3, 29, 1)
        #expect(AlertRelease.tick(forDecisionAt: jump - 600, every: .hours(1), in: zone) == jump)
        #expect(Clock.wallClock(jump) == (hour: 3, minute: 0))
        #expect(AlertRelease.latestTick(atOrBefore: jump + 1_799, every: .hours(1), in: zone) == jump)
    }

    // MARK: - Frozen weeks (finding 8)

    @Test func windowsUpToTheLastPublishedWeekAreFrozen() throws {
        let published = try #require(Window.week(label: "2026-W48", in: zone))
        let frozenUntil = AlertRelease.frozenUntil(lastPublishedWeekStart: published.start, in: zone)
        #expect(frozenUntil == published.end)
        let sunday = Window.containing(published.end - 1, kind: .day, in: zone)
        let monday = Window.containing(published.end, kind: .day, in: zone)
        let earlier = try #require(Window.week(label: "2026-W45", in: zone))
        let next = Window.containing(published.end, kind: .week, in: zone)
        #expect(AlertRelease.isFrozen(published, frozenUntil: frozenUntil))
        #expect(AlertRelease.isFrozen(sunday, frozenUntil: frozenUntil))
        #expect(AlertRelease.isFrozen(earlier, frozenUntil: frozenUntil), "a week before the last published one is closed too")
        #expect(!AlertRelease.isFrozen(monday, frozenUntil: frozenUntil))
        #expect(!AlertRelease.isFrozen(next, frozenUntil: frozenUntil))
        #expect(!AlertRelease.isFrozen(published, frozenUntil: nil), "nothing published: nothing frozen")
        // A window that starts inside a frozen week overlaps it: frozen.
        let overlapping = Window(kind: .week, start: published.end - 3_600, end: published.end + 6 * 86_400, label: "x")
        #expect(AlertRelease.isFrozen(overlapping, frozenUntil: frozenUntil))
    }

    @Test func partitionKeepsOrderAndSeparatesFrozenDecisions() throws {
        let published = try #require(Window.week(label: "2026-W48", in: zone))
        let frozenUntil = AlertRelease.frozenUntil(lastPublishedWeekStart: published.start, in: zone)
        let late = decision("late", window: Window.containing(published.start + 86_400, kind: .day, in: zone), band: 5)
        let now1 = decision("now1", window: Window.containing(published.end + 86_400, kind: .day, in: zone), band: 5)
        let now2 = decision("now2", window: Window.containing(published.end, kind: .week, in: zone), band: 10)
        let (release, frozen) = AlertRelease.partition([now1, late, now2], frozenUntil: frozenUntil)
        #expect(release.map(\.rule) == ["now1", "now2"])
        #expect(frozen.map(\.rule) == ["late"])
    }

    // MARK: - Held decisions

    @Test func twoBandsCrossedBeforeTheTickBecomeOneFirstAlertOfTheHigherBand() {
        let day = Window.containing(Clock.local(2026, 11, 30, 12), kind: .day, in: zone)
        var held = HeldAlerts()
        held.hold([decision(window: day, band: 5)])
        // The engine saw band 5 as logged, so band 10 alone is an escalation.
        var ten = decision(window: day, band: 10)
        ten.logKeys = [AlertKey(rule: "r", windowStart: day.start, group: ten.group, band: 10)]
        held.hold([ten, decision(window: day, site: "dependance", band: 5)])
        #expect(held.count == 2)
        let taken = held.take()
        #expect(held.isEmpty)
        #expect(taken.count == 2)
        let merged = taken[0]
        #expect(merged.atLeast == 10)
        #expect(!merged.escalation, "nothing was announced for the group before: not an escalation")
        #expect(merged.logKeys.map(\.band) == [5, 10], "every band is logged, the announced one last")
        #expect(merged.key.band == 10)
        #expect(taken[1].group == GroupKey([.site: .known("dependance")]))
    }

    @Test func heldKeysCoverEveryBandSoAFullPassDecidesNothingTwice() {
        let day = Window.containing(Clock.local(2026, 11, 30, 12), kind: .day, in: zone)
        var held = HeldAlerts()
        held.hold([decision(window: day, band: 20)])
        #expect(held.keys.map(\.band).sorted() == [5, 10, 20])
    }
}
