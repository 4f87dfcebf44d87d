import Foundation
import Testing
import VertrouwdCore

/// Time helpers shared by the window, tick, schedule and rule tests.
enum Clock {
    static let amsterdam = TimeZone(identifier: "Europe/Amsterdam")!
    static let utcZone = TimeZone(identifier: "UTC")!

    /// UTC epoch seconds of a UTC date-time, through Foundation's calendar
    /// (an oracle independent of the code under test).
    static func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> Int64 {
        local(y, mo, d, h, mi, in: utcZone)
    }

    /// Epoch seconds of a local date-time that exists exactly once.
    static func local(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, in zone: TimeZone = amsterdam) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi))!
        return Int64(date.timeIntervalSince1970)
    }

    /// Local (hour, minute) of an instant.
    static func wallClock(_ instant: Int64, in zone: TimeZone = amsterdam) -> (hour: Int, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(instant)))
        return (c.hour!, c.minute!)
    }
}

@Suite("Windows")
struct WindowTests {
    let zone = Clock.amsterdam

    @Test func dstDaysHave23And25Hours() {
        let spring = Window.containing(Clock.utc(2026, 3, 29, 12), kind: .day, in: zone)
        #expect(spring.label == "2026-03-29")
        #expect(spring.start == Clock.utc(2026, 3, 28, 23))
        #expect(spring.end == Clock.utc(2026, 3, 29, 22))
        #expect(spring.end - spring.start == 23 * 3_600)
        #expect(spring.hours.count == 23)

        let autumn = Window.containing(Clock.utc(2026, 10, 25, 12), kind: .day, in: zone)
        #expect(autumn.label == "2026-10-25")
        #expect(autumn.start == Clock.utc(2026, 10, 24, 22))
        #expect(autumn.end == Clock.utc(2026, 10, 25, 23))
        #expect(autumn.hours.count == 25)

        // Around the changes: the neighbours are ordinary 24-hour days.
        #expect(spring.previous(in: zone).label == "2026-03-28")
        #expect(spring.previous(in: zone).end == spring.start)
        #expect(spring.next(in: zone).label == "2026-03-30")
        #expect(spring.next(in: zone).hours.count == 24)
        #expect(autumn.next(in: zone).start == autumn.end)
        #expect(autumn.previous(in: zone).hours.count == 24)
    }

    @Test func dstWeeksHave167And169Hours() {
        let w13 = try! #require(Window.week(label: "2026-W13", in: zone))
        #expect(w13.start == Clock.local(2026, 3, 23))
        #expect(w13.end == Clock.local(2026, 3, 30))
        #expect(w13.hours.count == 167)
        #expect(Window.containing(Clock.utc(2026, 3, 29, 1), kind: .week, in: zone) == w13)

        let w43 = try! #require(Window.week(label: "2026-W43", in: zone))
        #expect(w43.start == Clock.local(2026, 10, 19))
        #expect(w43.end == Clock.local(2026, 10, 26))
        #expect(w43.hours.count == 169)
        #expect(w43.next(in: zone).label == "2026-W44")
        #expect(w43.next(in: zone).hours.count == 168)
        #expect(w43.previous(in: zone).label == "2026-W42")
        #expect(w43.days(in: zone) == ("2026-10-19", "2026-10-25"))
        let day = Window.containing(Clock.utc(2026, 10, 25, 12), kind: .day, in: zone)
        #expect(day.days(in: zone) == ("2026-10-25", "2026-10-25"))
    }

    @Test func windowBoundsAreLocalMidnight() {
        // 23:30 UTC on 2026-11-28 is already Sunday 00:30 in Amsterdam.
        let day = Window.containing(Clock.utc(2026, 11, 28, 23, 30), kind: .day, in: zone)
        #expect(day.label == "2026-11-29")
        #expect(day.start == Clock.utc(2026, 11, 28, 23))
        let week = Window.containing(Clock.utc(2026, 11, 29, 22, 59), kind: .week, in: zone)
        #expect(week.label == "2026-W48")
        #expect(week.end == Clock.utc(2026, 11, 29, 23))
        #expect(!week.contains(week.end))
        #expect(week.contains(week.start))
    }

    @Test(arguments: [
        ((2020, 12, 31), "2020-W53"), ((2021, 1, 3), "2020-W53"), ((2021, 1, 4), "2021-W01"),
        ((2026, 12, 28), "2026-W53"), ((2026, 12, 31), "2026-W53"), ((2027, 1, 1), "2026-W53"),
        ((2027, 1, 3), "2026-W53"), ((2027, 1, 4), "2027-W01"), ((2024, 12, 30), "2025-W01"),
        ((2026, 1, 1), "2026-W01"), ((2025, 12, 29), "2026-W01"), ((2026, 11, 29), "2026-W48"),
    ])
    func isoWeekLabels(date: (Int, Int, Int), label: String) {
        let noon = Clock.local(date.0, date.1, date.2, 12)
        let week = Window.containing(noon, kind: .week, in: zone)
        #expect(week.label == label)
        #expect(Window.week(label: label, in: zone) == week)
        #expect(Clock.wallClock(week.start) == (0, 0))
        #expect(Window.containing(noon, kind: .day, in: zone).label
            == "\(date.0)-\(date.1 < 10 ? "0" : "")\(date.1)-\(date.2 < 10 ? "0" : "")\(date.2)")
    }

    @Test func weekLabelParsingRejectsNonsense() {
        for bad in ["2025-W53", "2026-W54", "2026-W00", "2026-w48", "2026W48", "26-W48", "2026-W4", "2026-W48 ", ""] {
            #expect(Window.week(label: bad, in: zone) == nil, "\(bad)")
        }
        #expect(Window.day(label: "2026-02-29", in: zone) == nil)
        #expect(Window.day(label: "2028-02-29", in: zone)?.label == "2028-02-29")
    }

    @Test func nonWholeHourZoneHoursPartitionTime() {
        let kolkata = TimeZone(identifier: "Asia/Kolkata")!
        let day = Window.containing(Clock.utc(2026, 6, 1, 12), kind: .day, in: kolkata)
        #expect(day.start == Clock.utc(2026, 5, 31, 18, 30))
        #expect(day.hours == (day.start / 3_600 + 1) ..< (day.end / 3_600 + 1))
        #expect(day.next(in: kolkata).hours.lowerBound == day.hours.upperBound)
    }
}
