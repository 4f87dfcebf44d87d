import VertrouwdCore

/// The time stamps filter logs start with, read without Foundation's date
/// parsing: Unbound's `[1732871700]`, syslog's `Nov 29 10:15:00` (local,
/// no year), and RFC 3339 (`2026-11-29T10:15:00+01:00`, rsyslog's
/// high-precision format).
public enum LogTime {
    /// The time at the start of `line` and the index just after it; nil
    /// when the line starts with none of the three.
    public static func prefix(_ line: ArraySlice<UInt8>, context: TimeContext) -> (time: Int64, end: Int)? {
        guard let first = line.first else { return nil }
        if first == 0x5B { // "[epoch]"
            guard let close = line.firstIndex(of: 0x5D), let n = line[(line.startIndex + 1)..<close].decimal else { return nil }
            return (n, close + 1)
        }
        if first >= 0x30 && first <= 0x39 { // RFC 3339 up to the first space
            let end = line.firstIndex(of: 0x20) ?? line.endIndex
            guard end - line.startIndex >= 20 else { return nil }
            let t = Array(line[line.startIndex..<end]).withUnsafeBytes { RFC3339.epochSeconds($0) }
            return t.map { ($0, end) }
        }
        return syslog(line, context: context)
    }

    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .map { Array($0.utf8) }

    /// `Mmm dd hh:mm:ss` (the day may be space-padded), in the log's zone;
    /// the year is the one that puts the time no more than a day ahead of now.
    static func syslog(_ line: ArraySlice<UInt8>, context: TimeContext) -> (time: Int64, end: Int)? {
        let s = line.startIndex
        guard line.count >= 15, let month = months.firstIndex(of: Array(line[s..<(s + 3)])), line[s + 3] == 0x20 else { return nil }
        let dayText = line[(s + 4)..<(s + 6)].drop(while: { $0 == 0x20 })
        guard let day = dayText.decimal, (1...31).contains(day), line[s + 6] == 0x20,
              let hour = line[(s + 7)..<(s + 9)].decimal, line[s + 9] == 0x3A,
              let minute = line[(s + 10)..<(s + 12)].decimal, line[s + 12] == 0x3A,
              let second = line[(s + 13)..<(s + 15)].decimal,
              hour < 24, minute < 60, second < 61 else { return nil }
        let nowYear = RFC3339.utcDate(context.now).year
        for year in [nowYear, nowYear - 1] {
            let local = Int64(RFC3339.daysFromCivil(year: Int(year), month: month + 1, day: Int(day))) * 86_400
                + hour * 3_600 + minute * 60 + second
            let utc = local - Int64(context.offset(local))
            if utc <= context.now + 86_400 { return (utc, s + 15) }
        }
        return nil
    }
}
