import Foundation

/// A calendar-aligned counting window in the school's time zone: one local
/// day (midnight to midnight) or one ISO week (Monday 00:00 to Monday 00:00).
/// DESIGN §5: there are no rolling windows.
///
/// Across a DST change a day has 23 or 25 hours and a week 167 or 169.
public struct Window: Hashable, Sendable, CustomStringConvertible {
    public var kind: WindowKind
    /// First instant of the window, UTC epoch seconds.
    public var start: Int64
    /// First instant after the window (exclusive), UTC epoch seconds.
    public var end: Int64
    /// "2026-11-29" for a day, "2026-W48" for an ISO week. The only time
    /// precision an alert or summary ever shows (P3).
    public var label: String

    public init(kind: WindowKind, start: Int64, end: Int64, label: String) {
        self.kind = kind
        self.start = start
        self.end = end
        self.label = label
    }

    public var description: String { label }

    /// Whether `instant` lies in `start ..< end`.
    public func contains(_ instant: Int64) -> Bool { start <= instant && instant < end }

    /// The window of `kind` that contains `instant`, aligned in `zone`.
    ///
    /// A local midnight that the zone skips (a DST gap at 00:00, as some
    /// zones have had) starts the day at the first instant after the gap; a
    /// repeated one starts it at its first occurrence.
    public static func containing(_ instant: Int64, kind: WindowKind, in zone: TimeZone) -> Window {
        let day = WindowCalendar.localDay(instant, in: zone)
        // A window runs from the first instant its local day begins to the
        // first instant the next begins. Where clocks fall back across
        // midnight (America/St_Johns until 2011, at 00:01) a day's last
        // hour is shown again after the next day has begun: such an
        // instant belongs to the window that began first, the next one.
        switch kind {
        case .day:
            let window = dayWindow(day, in: zone)
            return instant < window.end ? window : dayWindow(day + 1, in: zone)
        case .week:
            let monday = day - WindowCalendar.weekdayIndex(ofDay: day)
            let window = weekWindow(monday: monday, in: zone)
            return instant < window.end ? window : weekWindow(monday: monday + 7, in: zone)
        }
    }

    /// The window of the same kind just before this one.
    public func previous(in zone: TimeZone) -> Window {
        Window.containing(start - 1, kind: kind, in: zone)
    }

    /// The window of the same kind just after this one.
    public func next(in zone: TimeZone) -> Window {
        Window.containing(end, kind: kind, in: zone)
    }

    /// The UTC hours (epoch seconds / 3600, as the store keys its buckets)
    /// whose buckets count in this window.
    ///
    /// A bucket counts in the window that contains the bucket's first
    /// instant, so hours are `⌈start/3600⌉ ..< ⌈end/3600⌉`. For zones whose
    /// offsets are whole hours (Europe/Amsterdam) window bounds fall on UTC
    /// hours and this is exact. For zones with a non-whole-hour offset
    /// (Asia/Kolkata, +05:30) a local midnight falls inside a UTC hour; that
    /// hour's bucket then counts wholly in the window it started in, so a
    /// signal from up to 59 minutes after local midnight may count in the
    /// previous day. The store floors time to the hour (P3), so nothing
    /// finer is possible; the hours of consecutive windows still partition
    /// time, so no bucket counts twice or not at all.
    public var hours: Range<Int64> {
        WindowCalendar.ceilDiv(start, 3_600) ..< WindowCalendar.ceilDiv(end, 3_600)
    }

    /// The first and last local day of the window, "YYYY-MM-DD", as the
    /// alert JSON's `window.start` and `window.end` show them (DESIGN §7):
    /// both the same day for a day window, Monday and Sunday for a week.
    public func days(in zone: TimeZone) -> (first: String, last: String) {
        (Window.containing(start, kind: .day, in: zone).label,
         Window.containing(end - 1, kind: .day, in: zone).label)
    }

    /// The window of `kind` that contains the bucket hour `hour` (per `hours`).
    public static func containing(hour: Int64, kind: WindowKind, in zone: TimeZone) -> Window {
        containing(hour * 3_600, kind: kind, in: zone)
    }

    /// Parses an ISO week label such as "2026-W48" (also "2026-W01", and
    /// "2026-W53" only in years that have a week 53). Returns nil otherwise.
    public static func week(label: String, in zone: TimeZone) -> Window? {
        let bytes = Array(label.utf8)
        guard bytes.count == 8, bytes[4] == UInt8(ascii: "-"), bytes[5] == UInt8(ascii: "W"),
              let year = Int64(String(decoding: bytes[0..<4], as: UTF8.self)),
              let week = Int64(String(decoding: bytes[6..<8], as: UTF8.self)),
              bytes[0..<4].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              bytes[6..<8].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              (1...53).contains(week)
        else { return nil }
        let monday = WindowCalendar.monday(isoYear: year, week: week)
        let window = weekWindow(monday: monday, in: zone)
        // Week 53 of a 52-week year would spill into the next year's W01.
        return window.label == label ? window : nil
    }

    /// Parses a day label such as "2026-11-29". Returns nil otherwise.
    public static func day(label: String, in zone: TimeZone) -> Window? {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]),
              (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        let window = dayWindow(WindowCalendar.day(year: y, month: m, day: d), in: zone)
        // Rejects 2026-02-30 and the like, which would roll over.
        return window.label == label ? window : nil
    }

    static func dayWindow(_ day: Int64, in zone: TimeZone) -> Window {
        let civil = WindowCalendar.civil(fromDay: day)
        let label = "\(WindowCalendar.pad(civil.year, 4))-\(WindowCalendar.pad(civil.month, 2))-\(WindowCalendar.pad(civil.day, 2))"
        return Window(
            kind: .day,
            start: WindowCalendar.startOfDay(day, in: zone),
            end: WindowCalendar.startOfDay(day + 1, in: zone),
            label: label
        )
    }

    static func weekWindow(monday: Int64, in zone: TimeZone) -> Window {
        let iso = WindowCalendar.isoWeek(ofDay: monday)
        return Window(
            kind: .week,
            start: WindowCalendar.startOfDay(monday, in: zone),
            end: WindowCalendar.startOfDay(monday + 7, in: zone),
            label: "\(WindowCalendar.pad(iso.year, 4))-W\(WindowCalendar.pad(iso.week, 2))"
        )
    }
}
