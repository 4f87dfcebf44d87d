import Foundation

/// Dates as the trust contact reads them, in Dutch or English, without
/// depending on the machine's locale data (output must be the same on every
/// machine: P7).
public enum DateText {
    /// A local calendar date.
    public struct Day: Hashable, Sendable, Comparable {
        public var year: Int
        public var month: Int
        public var day: Int
        /// ISO weekday: 1 = Monday … 7 = Sunday.
        public var weekday: Int

        public init(year: Int, month: Int, day: Int, weekday: Int) {
            self.year = year
            self.month = month
            self.day = day
            self.weekday = weekday
        }

        /// The local day an instant falls on.
        public init(instant: Int64, zone: TimeZone) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: TimeInterval(instant)))
            // Calendar weekdays run 1 = Sunday … 7 = Saturday.
            self.init(year: c.year!, month: c.month!, day: c.day!, weekday: (c.weekday! + 5) % 7 + 1)
        }

        public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

        /// "2026-11-29"
        public var iso: String {
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
    }

    static let weekdays: [Language: [String]] = [
        .nl: ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
        .en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    ]
    static let months: [Language: [String]] = [
        .nl: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
        .en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    ]

    /// "zondag 29 november 2026" / "Sunday 29 November 2026"
    public static func long(_ d: Day, _ language: Language) -> String {
        "\(weekdays[language]![d.weekday - 1]) \(d.day) \(months[language]![d.month - 1]) \(d.year)"
    }

    /// "23 t/m 29 november 2026", "30 november t/m 6 december 2026",
    /// "29 december 2025 t/m 4 januari 2026" (and in English with "to").
    public static func range(_ a: Day, _ b: Day, _ language: Language) -> String {
        let to = language == .nl ? "t/m" : "to"
        let m = months[language]!
        if a.year != b.year { return "\(a.day) \(m[a.month - 1]) \(a.year) \(to) \(b.day) \(m[b.month - 1]) \(b.year)" }
        if a.month != b.month { return "\(a.day) \(m[a.month - 1]) \(to) \(b.day) \(m[b.month - 1]) \(b.year)" }
        return "\(a.day) \(to) \(b.day) \(m[b.month - 1]) \(b.year)"
    }
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}
