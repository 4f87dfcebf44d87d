import Foundation

/// `[calendar]`: the days the school is closed (issue 15 §2). Rise rules
/// leave holiday weeks out of their baselines, and a summary marks a
/// holiday week, so that a quiet holiday is not read as a quiet school and
/// the week after it is not read as a rise.
public struct SchoolCalendar: Hashable, Sendable {
    /// The region whose national school holidays apply, or nil for none
    /// (a school that lists all its holidays itself).
    public var region: SchoolRegion? { didSet { closedDays = Self.closedDays(region, daysOff) } }
    /// The school's own days off: study days, a different holiday week.
    public var daysOff: [DayRange] { didSet { closedDays = Self.closedDays(region, daysOff) } }
    /// Every closed range as day numbers, worked out once: rise rules ask
    /// for every baseline week at every evaluation.
    private var closedDays: [ClosedRange<Int64>]

    public init(region: SchoolRegion? = nil, daysOff: [DayRange] = []) {
        self.region = region
        self.daysOff = daysOff
        closedDays = Self.closedDays(region, daysOff)
    }

    /// Whether the calendar says anything at all.
    public var isEmpty: Bool { region == nil && daysOff.isEmpty }

    /// Every closed range: the region's holidays, then the school's own days.
    public var closed: [DayRange] { Self.closedRanges(region: region, daysOff: daysOff) }

    private static func closedDays(_ region: SchoolRegion?, _ daysOff: [DayRange]) -> [ClosedRange<Int64>] {
        SchoolCalendar.closedRanges(region: region, daysOff: daysOff).map { $0.first.dayNumber...$0.last.dayNumber }
    }

    private static func closedRanges(region: SchoolRegion?, daysOff: [DayRange]) -> [DayRange] {
        (region.map { DutchSchoolHolidays.holidays(in: $0).map { DayRange($0.first, $0.last) } } ?? []) + daysOff
    }

    /// Whether the school is closed on `date` (a holiday or a day off).
    /// Weekends are not days off here: a week is judged by its school days.
    public func isDayOff(_ date: LocalDate) -> Bool {
        isDayOff(dayNumber: date.dayNumber)
    }

    func isDayOff(dayNumber day: Int64) -> Bool {
        closedDays.contains { $0.contains(day) }
    }

    /// Whether the ISO week `week` is mostly holiday: at least 3 of its 5
    /// school days (Monday to Friday) are days off. Such a week is left
    /// out of rise baselines and marked in its summary.
    public func isHolidayWeek(_ week: Window, in zone: TimeZone) -> Bool {
        guard !isEmpty else { return false }
        let monday = WindowCalendar.localDay(week.start, in: zone)
        let off = (0..<5).filter { isDayOff(dayNumber: monday + Int64($0)) }.count
        return off >= 3
    }
}

/// The Dutch regions of the national school holidays.
public enum SchoolRegion: String, CaseIterable, Hashable, Sendable {
    case noord, midden, zuid
}

/// A calendar date with no time and no zone ("2026-10-19").
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(dayNumber: Int64) {
        let c = WindowCalendar.civil(fromDay: dayNumber)
        self.init(Int(c.year), Int(c.month), Int(c.day))
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int64 { WindowCalendar.day(year: Int64(year), month: Int64(month), day: Int64(day)) }

    /// Parses "YYYY-MM-DD"; nil for anything else, and for dates that do
    /// not exist ("2026-02-30").
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        self.init(y, m, d)
        // 2026-02-30 would roll over into March.
        guard LocalDate(dayNumber: dayNumber) == self else { return nil }
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    public var description: String {
        "\(WindowCalendar.pad(Int64(year), 4))-\(WindowCalendar.pad(Int64(month), 2))-\(WindowCalendar.pad(Int64(day), 2))"
    }
}

/// Days from `first` to `last`, both included.
public struct DayRange: Hashable, Sendable, CustomStringConvertible {
    public var first: LocalDate
    public var last: LocalDate

    public init(_ first: LocalDate, _ last: LocalDate) {
        precondition(first <= last, "a day range must not end before it starts")
        self.first = first
        self.last = last
    }

    public var description: String { first == last ? "\(first)" : "\(first)..\(last)" }
}
