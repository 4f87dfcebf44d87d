import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdConfig

/// `[calendar]`, `[delivery] quiet` and `min_baseline_weeks` decode to what
/// they say (issue 15 §2); their error texts are golden files
/// (Golden/invalid/calendar-*, quiet-*, min-baseline-weeks).
@Suite struct CalendarDecoderTests {
    @Test func absentMeansNoCalendarAndNoQuietHours() throws {
        let c = try #require(decode(minimalConfig).0)
        #expect(c.calendar.isEmpty && c.calendar == SchoolCalendar())
        #expect(c.delivery.quiet == nil)
    }

    @Test func calendarDecodes() throws {
        let (c, diagnostics) = decode(minimalConfig + """
            [calendar]
            region = "noord"
            days_off = ["2026-03-16", "2026-06-01..2026-06-05", "2026-06-08..2026-06-08"]
            """)
        #expect(diagnostics.isEmpty)
        let calendar = try #require(c).calendar
        #expect(calendar.region == .noord)
        #expect(calendar.daysOff == [DayRange(LocalDate(2026, 3, 16), LocalDate(2026, 3, 16)),
                                     DayRange(LocalDate(2026, 6, 1), LocalDate(2026, 6, 5)),
                                     DayRange(LocalDate(2026, 6, 8), LocalDate(2026, 6, 8))])
        // An empty [calendar] is allowed: no holidays.
        #expect(try #require(decode(minimalConfig + "[calendar]\n").0).calendar.isEmpty)
    }

    @Test func quietHoursDecode() throws {
        let (c, diagnostics) = decode(minimalConfig + """
            [delivery]
            quiet = "21:30-06:45"
            quiet_except = ["high", "medium"]
            """)
        #expect(diagnostics.isEmpty)
        let config = try #require(c)
        let quiet = try #require(config.delivery.quiet)
        #expect(quiet == QuietHours(start: 21 * 3_600 + 1_800, end: 6 * 3_600 + 2_700, except: [.high, .medium]))
    }

    @Test func minBaselineWeeksDecodes() throws {
        let rise = """
            [[rule]]
            name = "stijging"
            kind = "rise"
            match = ["grooming"]
            baseline_weeks = %d
            """
        func rule(_ extra: String, baseline: Int = 6) throws -> Rule {
            let text = minimalConfig + String(format: rise, baseline) + "\n" + extra
            return try #require(decode(text).0?.rules.first)
        }
        #expect(try rule("").minBaselineWeeks == 3)
        #expect(try rule("", baseline: 2).minBaselineWeeks == 2, "never more than the baseline")
        #expect(try rule("min_baseline_weeks = 6").minBaselineWeeks == 6)
        #expect(try rule("min_baseline_weeks = 1").minBaselineWeeks == 1)
    }
}
