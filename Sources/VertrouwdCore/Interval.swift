/// A length of time as written in the config: a whole number and one unit,
/// `s`, `m`, `h`, `d` or `w` ("90s", "15m", "36h", "7d", "2w").
///
/// Kept as whole seconds: every interval vertrouwd deals in (windows, ticks,
/// retention, retry back-off) is a whole number of seconds.
public struct Interval: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) {
        precondition(seconds >= 0, "an interval is never negative")
        self.seconds = seconds
    }

    public static func minutes(_ n: Int64) -> Interval { Interval(seconds: n * 60) }
    public static func hours(_ n: Int64) -> Interval { Interval(seconds: n * 3_600) }
    public static func days(_ n: Int64) -> Interval { Interval(seconds: n * 86_400) }
    public static func weeks(_ n: Int64) -> Interval { Interval(seconds: n * 604_800) }
    public static let zero = Interval(seconds: 0)

    public static func < (a: Interval, b: Interval) -> Bool { a.seconds < b.seconds }
    public static func + (a: Interval, b: Interval) -> Interval { Interval(seconds: a.seconds + b.seconds) }

    /// Units from largest to smallest, with their length in seconds.
    static let units: [(suffix: Character, seconds: Int64)] = [
        ("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1),
    ]

    /// Parses "90s", "15m", "36h", "7d", "2w". Returns nil for anything else:
    /// no sign, no fraction, no spaces, no compound forms like "1h30m".
    public init?(parsing text: String) {
        guard let unitChar = text.last,
              let unit = Interval.units.first(where: { $0.suffix == unitChar })
        else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 12,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let n = Int64(digits)
        else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: unit.seconds)
        guard !overflow else { return nil }
        self.init(seconds: product)
    }

    /// For messages: every unit that is present, largest first ("7d 5m").
    public var spelledOut: String {
        var rest = seconds
        var parts: [String] = []
        for unit in Interval.units where rest >= unit.seconds {
            parts.append("\(rest / unit.seconds)\(unit.suffix)")
            rest %= unit.seconds
        }
        return parts.isEmpty ? "0s" : parts.joined(separator: " ")
    }

    /// The shortest exact form: 3600 seconds prints as "1h", 90 as "90s".
    public var description: String {
        for unit in Interval.units where seconds % unit.seconds == 0 && seconds > 0 {
            return "\(seconds / unit.seconds)\(unit.suffix)"
        }
        return "0s"
    }
}
