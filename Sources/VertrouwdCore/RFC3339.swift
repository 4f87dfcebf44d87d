/// Parses RFC 3339 timestamps by hand, to UTC epoch seconds.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`. The offset is
/// mandatory. `T` and `Z` may be lower case (RFC 3339 §5.6 allows it); a
/// space instead of `T` is not accepted. The fraction (any number of digits,
/// at least one) is truncated. The date is checked against the calendar
/// (month lengths, Gregorian leap years); hours 00–23, minutes and seconds
/// 00–59 (leap second `60` is rejected: no producer clock emits it, and it
/// would name an instant that does not exist in epoch time); offsets up to
/// ±23:59; `-00:00` is read as UTC.
public enum RFC3339 {
    /// Epoch seconds of `text`, or nil when it is not a valid timestamp.
    public static func epochSeconds(_ text: UnsafeRawBufferPointer) -> Int64? {
        let n = text.count
        guard n >= 20 else { return nil }
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int? {
            var v = 0
            for i in at..<(at + count) {
                let d = text[i] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        guard let year = digits(0, 4), text[4] == UInt8(ascii: "-"),
              let month = digits(5, 2), text[7] == UInt8(ascii: "-"),
              let day = digits(8, 2), text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: "t"),
              let hour = digits(11, 2), text[13] == UInt8(ascii: ":"),
              let minute = digits(14, 2), text[16] == UInt8(ascii: ":"),
              let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        if text[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < n, isDigit(text[i]) { i += 1 }
            guard i > start else { return nil }
        }
        guard i < n else { return nil }
        var offset = 0
        switch text[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = text[i] == UInt8(ascii: "-") ? -1 : 1
            guard n - i == 6, let oh = digits(i + 1, 2), text[i + 3] == UInt8(ascii: ":"),
                  let om = digits(i + 4, 2), oh < 24, om < 60
            else { return nil }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        default:
            return nil
        }
        guard i == n else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
    }

    /// Convenience for tests and tools.
    public static func epochSeconds(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { epochSeconds(UnsafeRawBufferPointer($0)) }
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `2026-11-29T10:00:00Z`: a UTC instant as producers write `ts`
    /// (whole seconds; years 0000–9999).
    /// The start of the UTC hour `epoch` lies in: the finest time anything
    /// vertrouwd keeps or tells says (P3).
    public static func utcHourStart(_ epoch: Int64) -> Int64 {
        WindowCalendar.floorDiv(epoch, 3_600) * 3_600
    }

    public static func utcText(_ epoch: Int64) -> String {
        let day = WindowCalendar.floorDiv(epoch, 86_400)
        let (y, m, d) = WindowCalendar.civil(fromDay: day)
        let s = epoch - day * 86_400
        let p = WindowCalendar.pad
        return "\(p(y, 4))-\(p(m, 2))-\(p(d, 2))T\(p(s / 3_600, 2)):\(p(s / 60 % 60, 2)):\(p(s % 60, 2))Z"
    }

    /// The UTC calendar date of an instant.
    public static func utcDate(_ epoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        WindowCalendar.civil(fromDay: WindowCalendar.floorDiv(epoch, 86_400))
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar
    /// (H. Hinnant's `days_from_civil`).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
