import Foundation

/// Local-time arithmetic in the school's zone, on UTC epoch seconds.
///
/// Windows, ticks and the summary schedule are all "wall clock" notions: a
/// local midnight, a local quarter hour, Monday 07:30 local. This helper
/// converts between instants and wall-clock seconds (the instant plus the
/// zone's offset at that instant) with plain proleptic-Gregorian arithmetic,
/// asking `TimeZone` only for offsets. That keeps the results independent of
/// `Calendar`'s policies for skipped and repeated local times, which we fix
/// ourselves:
/// - a wall time that does not exist (spring forward) resolves to the first
///   valid instant after it — the transition instant itself;
/// - a wall time that exists twice (fall back) resolves to its first
///   occurrence.
enum WindowCalendar {
    static let secondsPerDay: Int64 = 86_400

    /// The zone's offset from UTC at `instant`, in seconds.
    static func offset(at instant: Int64, in zone: TimeZone) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// Wall-clock seconds (local time read as if it were UTC) of an instant.
    static func wall(_ instant: Int64, in zone: TimeZone) -> Int64 {
        instant + offset(at: instant, in: zone)
    }

    /// The local day number (days since 1970-01-01 in local time) of an instant.
    static func localDay(_ instant: Int64, in zone: TimeZone) -> Int64 {
        floorDiv(wall(instant, in: zone), secondsPerDay)
    }

    /// The instant at which the local wall clock first shows `wall`, or, if
    /// the zone skips that wall time, the first instant after the gap.
    static func instant(forWall wall: Int64, in zone: TimeZone) -> Int64 {
        // Any instant showing `wall` lies within ±18 h of it (offsets span
        // −12…+14 h); the offsets seen at both ends and at `wall` itself
        // cover every regime that can apply around one transition.
        let span: Int64 = 18 * 3_600
        let before = offset(at: wall - span, in: zone)
        let after = offset(at: wall + span, in: zone)
        let middle = offset(at: wall, in: zone)
        let valid = Set([before, after, middle])
            .map { wall - $0 }
            .filter { offset(at: $0, in: zone) + $0 == wall }
        if let first = valid.min() { return first }
        // A gap: the clock jumps over `wall`. Find the transition instant T
        // (offset `before` just before it, `after` from it on) by bisection;
        // T is the first valid instant after the skipped wall time.
        var low = wall - span   // offset == before
        var high = wall + span  // offset == after
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if offset(at: mid, in: zone) == before { low = mid } else { high = mid }
        }
        return high
    }

    /// The instant of the first local-time occurrence of the start of local
    /// day `day` (local midnight, or the end of a gap that swallows it).
    static func startOfDay(_ day: Int64, in zone: TimeZone) -> Int64 {
        instant(forWall: day * secondsPerDay, in: zone)
    }

    /// ISO weekday of a day number: Monday = 0 … Sunday = 6.
    static func weekdayIndex(ofDay day: Int64) -> Int64 {
        // 1970-01-01 was a Thursday (index 3).
        floorMod(day + 3, 7)
    }

    /// The civil date (year, month 1–12, day 1–31) of a day number.
    /// Howard Hinnant's `civil_from_days`.
    static func civil(fromDay day: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = day + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The day number of a civil date. Howard Hinnant's `days_from_civil`.
    static func day(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO 8601 week-numbering year and week (1–53) of a day number: the
    /// week belongs to the year its Thursday falls in.
    static func isoWeek(ofDay day: Int64) -> (year: Int64, week: Int64) {
        let thursday = day - weekdayIndex(ofDay: day) + 3
        let year = civil(fromDay: thursday).year
        let firstOfYear = Self.day(year: year, month: 1, day: 1)
        return (year, (thursday - firstOfYear) / 7 + 1)
    }

    /// The Monday (day number) of ISO week `week` of ISO year `year`.
    static func monday(isoYear year: Int64, week: Int64) -> Int64 {
        // January 4th is always in week 1.
        let jan4 = day(year: year, month: 1, day: 4)
        return jan4 - weekdayIndex(ofDay: jan4) + (week - 1) * 7
    }

    static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        a - floorDiv(a, b) * b
    }

    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 {
        -floorDiv(-a, b)
    }
}
