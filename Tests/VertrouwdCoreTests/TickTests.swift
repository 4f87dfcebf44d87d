import Foundation
import Testing
import VertrouwdCore

@Suite("Ticks and the summary schedule")
struct TickTests {
    let zone = Clock.amsterdam

    @Test(arguments: [Clock.utc(2026, 3, 28, 20), Clock.utc(2026, 10, 24, 20)])
    func quarterHourTicksStayOnLocalQuarterHoursAcrossDST(from: Int64) {
        let ticks = Tick.ticks(from: from, to: from + 10 * 3_600, every: .minutes(15), in: zone)
        #expect(ticks.count == 40)
        for tick in ticks {
            #expect(Clock.wallClock(tick).minute % 15 == 0)
            #expect(tick % 900 == 0)
        }
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(b - a == 900) }
    }

    @Test func nextTickIsStrictlyAfter() {
        let t = Clock.utc(2026, 11, 29, 9, 15)
        #expect(Tick.nextTick(after: t, every: .minutes(15), in: zone) == t + 900)
        #expect(Tick.nextTick(after: t - 1, every: .minutes(15), in: zone) == t)
        #expect(Tick.nextTick(after: t, every: .zero, in: zone) == t)
        // Daily ticks are at local midnight.
        #expect(Tick.nextTick(after: t, every: .days(1), in: zone) == Clock.utc(2026, 11, 29, 23))
    }

    @Test func twoHourTicksAlignToLocalMidnightAcrossDST() {
        // Spring: 02:00 local does not exist; its tick fires at the jump (03:00 CEST).
        let spring = Tick.ticks(from: Clock.utc(2026, 3, 28, 22), to: Clock.utc(2026, 3, 29, 6), every: .hours(2), in: zone)
        #expect(spring.map { Clock.wallClock($0).hour } == [0, 3, 4, 6])
        // Autumn: the repeated 02:00 ticks twice.
        let autumn = Tick.ticks(from: Clock.utc(2026, 10, 24, 22), to: Clock.utc(2026, 10, 25, 6), every: .hours(2), in: zone)
        #expect(autumn.map { Clock.wallClock($0).hour } == [0, 2, 2, 4, 6])
        // Ninety minutes: restarts at every local midnight.
        let ninety = Tick.ticks(from: Clock.utc(2026, 11, 29, 20), to: Clock.utc(2026, 11, 30, 2), every: .minutes(90), in: zone)
        #expect(ninety.map { Clock.wallClock($0).hour * 60 + Clock.wallClock($0).minute } == [21 * 60, 22 * 60 + 30, 0, 90])
    }

    @Test func springScheduleFiresAtFirstValidInstant() {
        let schedule = WeeklySchedule(weekday: .sunday, hour: 2, minute: 30)
        let w12 = try! #require(Window.week(label: "2026-W12", in: zone))
        let due = SummarySchedule.dueInstant(of: w12, schedule: schedule, zone: zone)
        #expect(due == Clock.utc(2026, 3, 29, 1))
        #expect(Clock.wallClock(due) == (3, 0))
        let w11 = w12.previous(in: zone)
        #expect(SummarySchedule.dueWeeks(now: due - 1, schedule: schedule, zone: zone, lastPublished: w11, catchUpWeeks: 4) == [])
        #expect(SummarySchedule.dueWeeks(now: due, schedule: schedule, zone: zone, lastPublished: w11, catchUpWeeks: 4) == [w12])
    }

    @Test func autumnScheduleFiresOnce() {
        let schedule = WeeklySchedule(weekday: .sunday, hour: 2, minute: 30)
        let w42 = try! #require(Window.week(label: "2026-W42", in: zone))
        let due = SummarySchedule.dueInstant(of: w42, schedule: schedule, zone: zone)
        #expect(due == Clock.utc(2026, 10, 25, 0, 30))  // 02:30 CEST, the first 02:30
        let w41 = w42.previous(in: zone)
        #expect(SummarySchedule.dueWeeks(now: due, schedule: schedule, zone: zone, lastPublished: w41, catchUpWeeks: 4) == [w42])
        // At the second 02:30 (CET) the week is published already: nothing due.
        #expect(SummarySchedule.dueWeeks(now: due + 3_600, schedule: schedule, zone: zone, lastPublished: w42, catchUpWeeks: 4) == [])
    }

    @Test func mondayMorningAndCatchUp() {
        let schedule = WeeklySchedule(weekday: .monday, hour: 7, minute: 30)
        let w48 = try! #require(Window.week(label: "2026-W48", in: zone))
        let w47 = w48.previous(in: zone)
        let dueAt = Clock.local(2026, 11, 30, 7, 30)
        #expect(SummarySchedule.dueInstant(of: w48, schedule: schedule, zone: zone) == dueAt)
        #expect(SummarySchedule.dueWeeks(now: dueAt - 60, schedule: schedule, zone: zone, lastPublished: w47, catchUpWeeks: 4) == [])
        #expect(SummarySchedule.dueWeeks(now: dueAt, schedule: schedule, zone: zone, lastPublished: w47, catchUpWeeks: 4) == [w48])
        // Down since W40 was published: W41…W48 missed; catch up four plus the current.
        let w40 = try! #require(Window.week(label: "2026-W40", in: zone))
        let due = SummarySchedule.dueWeeks(now: dueAt, schedule: schedule, zone: zone, lastPublished: w40, catchUpWeeks: 4)
        #expect(due.map(\.label) == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"])
        #expect(SummarySchedule.dueWeeks(now: dueAt, schedule: schedule, zone: zone, lastPublished: nil, catchUpWeeks: 4) == [w48])
        #expect(SummarySchedule.dueWeeks(now: dueAt, schedule: schedule, zone: zone, lastPublished: w48, catchUpWeeks: 4) == [])
        #expect(SummarySchedule.dueWeeks(now: dueAt, schedule: schedule, zone: zone, lastPublished: w40, catchUpWeeks: 0) == [w48])
    }
}
