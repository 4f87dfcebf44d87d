import Foundation
import Testing
import VertrouwdCore

/// A store's summaries, as far as the schedule cares: what was published
/// and when the store was created.
final class SummaryStoreModel {
    let schedule: WeeklySchedule
    let zone: TimeZone
    let createdAt: Int64
    let catchUpWeeks: Int
    var lastPublished: Window?
    var published: [String] = []

    init(schedule: WeeklySchedule, zone: TimeZone = Clock.amsterdam, createdAt: Int64, lastPublished: Window? = nil, catchUpWeeks: Int = 4) {
        self.schedule = schedule
        self.zone = zone
        self.createdAt = createdAt
        self.lastPublished = lastPublished
        self.catchUpWeeks = catchUpWeeks
    }

    /// What `SummaryPublisher.publishDue` does: publish the due weeks, then
    /// say when to check next.
    func check(at now: Int64) -> Int64 {
        let weeks = SummarySchedule.weeksToPublish(now: now, schedule: schedule, zone: zone, lastPublished: lastPublished,
                                                   catchUpWeeks: catchUpWeeks, createdAt: createdAt)
        published += weeks.map(\.label)
        if let newest = weeks.last { lastPublished = newest }
        return SummarySchedule.nextCheck(after: now, schedule: schedule, zone: zone, lastPublished: lastPublished, createdAt: createdAt)
    }
}

@Suite("Scheduler: when the weekly summary is checked")
struct SchedulerSummaryTests {
    let zone = Clock.amsterdam
    let monday0730 = WeeklySchedule(weekday: .monday, hour: 7, minute: 30)

    func settings() -> Scheduler.Settings {
        Scheduler.Settings(evaluateEvery: .minutes(15), zone: zone, rescan: .days(1))
    }

    /// The fault of issue 12: a store created on Sunday, a restart on Monday
    /// at 07:29:40 — the week that closed at midnight is published at 07:30
    /// the same day, not a week later.
    @Test func aRestartJustBeforeTheScheduleStillPublishesAtTheScheduledTime() {
        let store = SummaryStoreModel(schedule: monday0730, createdAt: Clock.local(2026, 11, 29, 10))
        let restart = Clock.local(2026, 11, 30, 7, 29) + 40
        var d = SchedulerDriver(settings(), wall: restart)
        d.nextSummaryCheck = { store.check(at: $0) }
        let steps = d.run(until: Clock.local(2026, 11, 30, 7, 31))
        #expect(steps.publications == [restart, Clock.local(2026, 11, 30, 7, 30)])
        #expect(store.published == ["2026-W48"])
        // The wait after the start is cut to the due time: 20 s.
        #expect(steps.contains(Scheduler.Step([.idle], .wait(milliseconds: 20_000))))
    }

    @Test func aFridayScheduleRestartedMidweekPublishesThatFriday() {
        let friday = WeeklySchedule(weekday: .friday, hour: 16, minute: 0)
        let store = SummaryStoreModel(schedule: friday, createdAt: Clock.local(2026, 11, 1),
                                      lastPublished: Window.week(label: "2026-W47", in: zone))
        var d = SchedulerDriver(settings(), wall: Clock.local(2026, 12, 2, 9))
        d.nextSummaryCheck = { store.check(at: $0) }
        let steps = d.run(until: Clock.local(2026, 12, 4, 16, 1))
        #expect(steps.publications.contains(Clock.local(2026, 12, 4, 16)))
        #expect(store.published == ["2026-W48"])
    }

    @Test func theNextCheckIsTheOldestUnpublishedWeeksDueTime() {
        let now = Clock.local(2026, 11, 30, 7)
        let closed = Window.week(label: "2026-W48", in: zone)!
        let thisWeeksDue = Clock.local(2026, 12, 7, 7, 30)
        let closedDue = Clock.local(2026, 11, 30, 7, 30)
        let old = Clock.local(2026, 1, 1)
        // The closed week is not due yet: its due time.
        #expect(SummarySchedule.nextCheck(after: now, schedule: monday0730, zone: zone, lastPublished: nil, createdAt: old) == closedDue)
        #expect(SummarySchedule.nextCheck(after: now, schedule: monday0730, zone: zone,
                                          lastPublished: closed.previous(in: zone), createdAt: old) == closedDue)
        // Published already (by an earlier run, early): the current week's.
        #expect(SummarySchedule.nextCheck(after: now, schedule: monday0730, zone: zone, lastPublished: closed, createdAt: old) == thisWeeksDue)
        // The store was created after the closed week ended: nothing to send for it.
        #expect(SummarySchedule.nextCheck(after: now, schedule: monday0730, zone: zone, lastPublished: nil,
                                          createdAt: Clock.local(2026, 11, 30, 1)) == thisWeeksDue)
        // Once the closed week's time has passed (and it was published): the current week's.
        #expect(SummarySchedule.nextCheck(after: closedDue, schedule: monday0730, zone: zone, lastPublished: closed, createdAt: old) == thisWeeksDue)
        #expect(SummarySchedule.nextCheck(after: closedDue - 1, schedule: monday0730, zone: zone, lastPublished: nil, createdAt: old) == closedDue)
    }

    @Test func catchUpAfterDowntimeIsPublishedAtStartAndLimited() {
        // Down for five weeks; catch-up of two weeks before the latest.
        let store = SummaryStoreModel(schedule: monday0730, createdAt: Clock.local(2026, 1, 1),
                                      lastPublished: Window.week(label: "2026-W43", in: zone), catchUpWeeks: 2)
        let next = store.check(at: Clock.local(2026, 12, 2, 12))
        #expect(store.published == ["2026-W46", "2026-W47", "2026-W48"])
        #expect(next == Clock.local(2026, 12, 7, 7, 30))
    }

    @Test func aNewInstallSendsNoSummaryOfWeeksBeforeItExisted() {
        let created = Clock.local(2026, 12, 1, 9)
        let store = SummaryStoreModel(schedule: monday0730, createdAt: created)
        #expect(store.check(at: created + 60) == Clock.local(2026, 12, 7, 7, 30))
        #expect(store.published.isEmpty)
        #expect(store.check(at: Clock.local(2026, 12, 7, 7, 30)) == Clock.local(2026, 12, 14, 7, 30))
        #expect(store.published == ["2026-W49"])
    }
}
