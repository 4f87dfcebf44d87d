/// When each watched source last sent, read from the store's daily health
/// counters ("accepted" + "duplicate" per source and local day): a source
/// is seen when its count for the day grew since the last reading, or when
/// a new day starts with a count. Pure; the daemon reads the counters.
public struct SourceActivity: Hashable, Sendable {
    /// The last reading: the day and each source's count that day.
    var day = ""
    var counts: [String: Int] = [:]
    /// When each source was last seen sending (epoch seconds).
    public private(set) var lastSeen: [String: Int64] = [:]

    /// Starts watching `sources` at `start` (the daemon's start): a source
    /// that never sends is silent from then on, not from the epoch.
    public init(sources: some Sequence<String>, start: Int64) {
        for source in sources { lastSeen[source] = start }
    }

    /// Watches a changed set of sources (a reload): a new one counts from
    /// `now`, one no longer watched is forgotten.
    public mutating func watch(_ sources: Set<String>, now: Int64) {
        for source in sources where lastSeen[source] == nil { lastSeen[source] = now }
        for source in lastSeen.keys where !sources.contains(source) { lastSeen[source] = nil }
    }

    /// Takes a reading of `day`'s counters (source → signals that day).
    public mutating func observe(day: String, counts new: [String: Int], now: Int64) {
        let sameDay = day == self.day
        for (source, count) in new where lastSeen[source] != nil && count > 0 {
            if !sameDay || count > counts[source, default: 0] { lastSeen[source] = now }
        }
        self.day = day
        counts = new
    }
}
