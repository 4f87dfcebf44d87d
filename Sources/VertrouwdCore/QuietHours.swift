import Foundation

/// `[delivery] quiet` and `quiet_except` (issue 15 §2): local hours in
/// which an alert e-mail is not sent. It waits in the outbox until the
/// quiet hours end; its text still names its window, so the reader knows
/// when it happened. Only e-mail alerts wait: socket routes, summaries and
/// other messages go at once.
///
/// Pure: the delivery service asks `release(at:severity:in:)` when an
/// e-mail alert is due and holds it until the instant returned.
public struct QuietHours: Hashable, Sendable, CustomStringConvertible {
    /// Seconds after local midnight at which quiet hours start.
    public var start: Int
    /// Seconds after local midnight at which they end; before `start` when
    /// they run past midnight ("22:00-07:00").
    public var end: Int
    /// Alerts of these severities are sent even in quiet hours.
    public var except: Set<Severity>

    public init(start: Int, end: Int, except: Set<Severity> = []) {
        precondition((0..<86_400).contains(start) && (0..<86_400).contains(end) && start != end,
                     "quiet hours need two different times of day")
        self.start = start
        self.end = end
        self.except = except
    }

    /// Parses "22:00-07:00": two 24-hour times, "HH:MM", that differ.
    public init?(parsing text: String, except: Set<Severity> = []) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Self.seconds(parts[0]), let end = Self.seconds(parts[1]), start != end
        else { return nil }
        self.init(start: start, end: end, except: except)
    }

    private static func seconds(_ text: Substring) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              [0, 1, 3, 4].allSatisfy({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 })
        else { return nil }
        let hour = Int(bytes[0] - 0x30) * 10 + Int(bytes[1] - 0x30)
        let minute = Int(bytes[3] - 0x30) * 10 + Int(bytes[4] - 0x30)
        guard hour < 24, minute < 60 else { return nil }
        return hour * 3_600 + minute * 60
    }

    /// "22:00-07:00".
    public var description: String { "\(Self.clock(start))-\(Self.clock(end))" }

    static func clock(_ seconds: Int) -> String {
        "\(WindowCalendar.pad(Int64(seconds / 3_600), 2)):\(WindowCalendar.pad(Int64(seconds % 3_600 / 60), 2))"
    }

    /// Whether the local wall clock at `instant` reads a quiet time.
    public func isQuiet(at instant: Int64, in zone: TimeZone) -> Bool {
        let s = Int(WindowCalendar.floorMod(WindowCalendar.wall(instant, in: zone), WindowCalendar.secondsPerDay))
        return start < end ? (start <= s && s < end) : (s >= start || s < end)
    }

    /// When an alert of `severity` that is due at `now` may be sent: `now`
    /// itself outside quiet hours or for an excepted severity, else the
    /// instant the quiet hours end.
    ///
    /// DST-safe: the end is a local wall time on the right local day. An
    /// end the clock skips (spring forward) releases at the first instant
    /// after the gap; an end the clock shows twice (fall back) at its first
    /// occurrence, or at `now` if that lies behind it already.
    public func release(at now: Int64, severity: Severity?, in zone: TimeZone) -> Int64 {
        if let severity, except.contains(severity) { return now }
        guard isQuiet(at: now, in: zone) else { return now }
        let wall = WindowCalendar.wall(now, in: zone)
        var day = WindowCalendar.floorDiv(wall, WindowCalendar.secondsPerDay)
        let s = Int(wall - day * WindowCalendar.secondsPerDay)
        // Past midnight quiet hours that started this evening end tomorrow.
        if start > end, s >= start { day += 1 }
        let endWall = day * WindowCalendar.secondsPerDay + Int64(end)
        return max(now, WindowCalendar.instant(forWall: endWall, in: zone))
    }

    /// The severity an alert's socket JSON names, or nil when it names none
    /// (or is not an alert): such a message is held like any other.
    public static func severity(ofAlertJSON json: String) -> Severity? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let text = object["severity"] as? String else { return nil }
        return Severity(rawValue: text)
    }
}
