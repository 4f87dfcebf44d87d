import Foundation

/// Calendar days in the school's time zone, as "YYYY-MM-DD".
public enum LocalDay {
    /// The local day an instant (UTC epoch seconds) falls on.
    public static func string(for instant: Int64, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(instant)))
        let pad = { (n: Int, width: Int) -> String in
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.year ?? 0, 4))-\(pad(parts.month ?? 0, 2))-\(pad(parts.day ?? 0, 2))"
    }
}

extension PrivacyPolicy {
    /// A count as it may leave the daemon (P4): "<k" below k, zero
    /// included, else the number itself.
    public func shown(_ count: Int) -> String {
        count < minGroupSize ? "<\(minGroupSize)" : String(count)
    }
}
