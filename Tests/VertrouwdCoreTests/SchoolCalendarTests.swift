import Foundation
import Testing
import VertrouwdCore

/// `[calendar]`: the national school holidays per region, the school's own
/// days off, and which weeks count as holiday weeks (issue 15 §2).
@Suite("School calendar")
struct SchoolCalendarTests {
    let zone = Clock.amsterdam

    func week(_ label: String) -> Window { Window.week(label: label, in: zone)! }

    @Test func datesParseStrictly() {
        #expect(LocalDate(parsing: "2026-10-19") == LocalDate(2026, 10, 19))
        #expect(LocalDate(parsing: "2028-02-29") == LocalDate(2028, 2, 29))
        for bad in ["2026-02-30", "2027-02-29", "2026-13-01", "2026-1-01", "26-10-19", "2026-10-19 ", "", "2026/10/19", "２０２６-10-19"] {
            #expect(LocalDate(parsing: bad) == nil, "\(bad)")
        }
        #expect(LocalDate(2026, 10, 19).description == "2026-10-19")
        #expect(DayRange(LocalDate(2026, 6, 1), LocalDate(2026, 6, 5)).description == "2026-06-01..2026-06-05")
    }

    /// The ministry publishes holidays Saturday to Sunday; a summer holiday
    /// is six weeks, the others one week or (Christmas) two.
    @Test(arguments: SchoolRegion.allCases)
    func tableIsWellFormed(region: SchoolRegion) {
        let holidays = DutchSchoolHolidays.holidays(in: region)
        #expect(holidays.count == 15)
        for h in holidays {
            let days = h.last.dayNumber - h.first.dayNumber + 1
            let weekdayOfFirst = ((h.first.dayNumber + 3) % 7 + 7) % 7  // Monday = 0
            #expect(weekdayOfFirst == 5, "\(region) \(h.name) \(h.first) starts on a Saturday")
            let expected: Int64 = switch h.name {
            case "zomervakantie": 44
            case "kerstvakantie": 16
            default: 9
            }
            #expect(days == expected, "\(region) \(h.name) \(h.first)..\(h.last)")
            #expect(h.last <= DutchSchoolHolidays.coveredUntil)
        }
        #expect(zip(holidays, holidays.dropFirst()).allSatisfy { $0.last < $1.first }, "oldest first, no overlap")
    }

    @Test func regionDecidesTheHolidayWeeks() {
        let midden = SchoolCalendar(region: .midden)
        let noord = SchoolCalendar(region: .noord)
        // Zomervakantie 2026: midden 18 July to 30 August, noord 4 July to 16 August.
        #expect(midden.isHolidayWeek(week("2026-W30"), in: zone))
        #expect(midden.isHolidayWeek(week("2026-W35"), in: zone))
        #expect(!midden.isHolidayWeek(week("2026-W36"), in: zone))
        #expect(!midden.isHolidayWeek(week("2026-W29"), in: zone))
        #expect(noord.isHolidayWeek(week("2026-W28"), in: zone))
        #expect(!noord.isHolidayWeek(week("2026-W34"), in: zone))
        // Kerstvakantie 2026-2027, every region: two weeks.
        for region in SchoolRegion.allCases {
            let c = SchoolCalendar(region: region)
            #expect(c.isHolidayWeek(week("2026-W52"), in: zone) && c.isHolidayWeek(week("2026-W53"), in: zone))
            #expect(!c.isHolidayWeek(week("2027-W01"), in: zone))
        }
        // No calendar: no holidays.
        #expect(!SchoolCalendar().isHolidayWeek(week("2026-W30"), in: zone))
    }

    /// A week is a holiday week when at least 3 of its 5 school days are off.
    @Test func mostlyOffMakesAHolidayWeek() {
        // 2026-W12 runs Monday 16 to Sunday 22 March.
        let two = SchoolCalendar(daysOff: [DayRange(LocalDate(2026, 3, 16), LocalDate(2026, 3, 17))])
        let three = SchoolCalendar(daysOff: [DayRange(LocalDate(2026, 3, 16), LocalDate(2026, 3, 17)),
                                             DayRange(LocalDate(2026, 3, 20), LocalDate(2026, 3, 20))])
        let weekend = SchoolCalendar(daysOff: [DayRange(LocalDate(2026, 3, 19), LocalDate(2026, 3, 22))])
        #expect(!two.isHolidayWeek(week("2026-W12"), in: zone))
        #expect(three.isHolidayWeek(week("2026-W12"), in: zone))
        #expect(!weekend.isHolidayWeek(week("2026-W12"), in: zone), "Saturday and Sunday are no school days")
        #expect(two.isDayOff(LocalDate(2026, 3, 17)) && !two.isDayOff(LocalDate(2026, 3, 18)))
        // Own days off add to the region's holidays.
        let both = SchoolCalendar(region: .zuid, daysOff: three.daysOff)
        #expect(both.isHolidayWeek(week("2026-W12"), in: zone) && both.isHolidayWeek(week("2026-W29"), in: zone))
    }

    /// A week that starts in summer time and a day that crosses the change
    /// are judged by their local days.
    @Test func weeksAcrossDSTAreJudgedByLocalDays() {
        // 2026-W43 (19–25 October) is midden's herfstvakantie; DST ends on its Sunday.
        let midden = SchoolCalendar(region: .midden)
        #expect(midden.isHolidayWeek(week("2026-W43"), in: zone))
        #expect(!midden.isHolidayWeek(week("2026-W44"), in: zone))
        #expect(!midden.isHolidayWeek(week("2026-W42"), in: zone))
    }
}
