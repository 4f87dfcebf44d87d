import Foundation

// The plain settings sections of the config, each with the defaults of
// CONFIG.md. The decoder in VertrouwdConfig fills them; nothing else here
// reads files.

/// `[school]`
public struct SchoolSettings: Hashable, Sendable {
    public var name: String
    /// Windows and schedules are aligned in this zone.
    public var timeZone: TimeZone
    public var language: Language

    public init(name: String, timeZone: TimeZone, language: Language = .nl) {
        self.name = name
        self.timeZone = timeZone
        self.language = language
    }

    public static let defaultTimeZone = "Europe/Amsterdam"
}

/// `[spool]`
public struct SpoolSettings: Hashable, Sendable {
    public var path = "/var/spool/vertrouwd"
    public var maxFileBytes = 1_048_576
    public var rescan = Interval(seconds: 60)
    public var quarantineDays = 7
    public init() {}
}

/// `[ingest]`
public struct IngestSettings: Hashable, Sendable {
    public var maxFuture = Interval.minutes(5)
    public var maxAge = Interval.days(7)
    public var dedupHorizon = Interval.days(8)
    public init() {}
}

/// `[state]`
public struct StateSettings: Hashable, Sendable {
    public var path = "/var/lib/vertrouwd/state.db"
    public var retentionWeeks = 104
    public init() {}
}

/// `[privacy]`
public struct PrivacyPolicy: Hashable, Sendable {
    /// k: no count below it ever leaves the daemon (it shows as "<k").
    public var minGroupSize = 5
    /// Counts ≥ k in summaries are rounded to this base.
    public var roundTo = 5
    public init() {}

    /// The smallest k the config accepts.
    public static let smallestGroupSize = 3
}

/// `[alerts]`
public struct AlertSettings: Hashable, Sendable {
    /// Rules run at ticks aligned to this interval since local midnight;
    /// zero means right after every ingest batch.
    public var evaluateEvery = Interval.minutes(15)
    /// Alerts leave only at ticks aligned to this interval since local
    /// midnight (`AlertRelease`): their timing shows the release slot,
    /// nothing finer. Positive; divides a day.
    public var releaseEvery = Interval.minutes(15)
    public init() {}
}

/// `[summary]`
public struct SummarySettings: Hashable, Sendable {
    public var schedule = WeeklySchedule(weekday: .monday, hour: 7, minute: 30)
    public var trendWeeks = 8
    public var catchUpWeeks = 4
    public init() {}
}

/// A local weekday and time of day, such as "mon 07:30".
public struct WeeklySchedule: Hashable, Sendable, CustomStringConvertible {
    public enum Weekday: String, CaseIterable, Hashable, Sendable {
        case monday = "mon", tuesday = "tue", wednesday = "wed", thursday = "thu"
        case friday = "fri", saturday = "sat", sunday = "sun"
    }

    public var weekday: Weekday
    public var hour: Int
    public var minute: Int

    public init(weekday: Weekday, hour: Int, minute: Int) {
        precondition((0..<24).contains(hour) && (0..<60).contains(minute))
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
    }

    /// Parses "mon 07:30": a three-letter day, one or more spaces, HH:MM.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let day = Weekday(rawValue: String(parts[0])) else { return nil }
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 2, time[0].count == 2, time[1].count == 2,
              time.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(time[0]), let minute = Int(time[1]),
              (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        self.init(weekday: day, hour: hour, minute: minute)
    }

    public var description: String {
        let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday.rawValue) \(pad(hour)):\(pad(minute))"
    }
}

/// `[submit]`
public struct SubmitSettings: Hashable, Sendable {
    /// Path of the submit socket to bind, or nil (socket activation only, or off).
    public var socketPath: String?
    public var allowedGroups = ["vertrouwd-submit"]
    public init() {}
}
