import VertrouwdCore

/// What the adapter decides for one line, purely: parse, match the host
/// against the domain lists (or the filter's category against the
/// adapter's `categories`), map the client to a site and cohort, and write
/// the signal. The client address, host, user and path go no further.
public struct AdapterPipeline: Sendable {
    /// Why a line gave no signal without being unreadable.
    public enum Skip: String, CaseIterable, Hashable, Sendable {
        /// A line of another kind (start-up messages, dnsmasq's replies …).
        case ignored
        /// A line of the right kind whose host is on no list.
        case noMatch = "no_match"
        /// Older than the daemon would accept (ingest.max_age).
        case tooOld = "too_old"
    }

    public enum Outcome: Hashable, Sendable {
        /// One JSON line, ready for the spool.
        case signal(String)
        case skipped(Skip)
        case rejected(LineRejection)
    }

    public let source: String
    let parser: any LogLineParser
    let domains: DomainMatcher
    let sites: SubnetMap
    let cohorts: SubnetMap
    let categories: [String: String]
    let groups: [String: String]
    let key: LineKey
    let maxAge: Int64
    let offset: @Sendable (Int64) -> Int

    /// - Parameters:
    ///   - offset: seconds east of UTC of the school's zone at a local time
    ///     (for syslog times, which have no zone).
    public init(settings: AdapterSettings, domains: DomainMatcher, key: LineKey, maxAge: Interval,
                offset: @escaping @Sendable (Int64) -> Int) {
        self.source = settings.name
        self.parser = VertrouwdAdapters.parser(for: settings.format)
        self.domains = domains
        self.sites = SubnetMap(settings.sites)
        self.cohorts = SubnetMap(settings.cohorts)
        self.categories = settings.categories
        self.groups = settings.groups
        self.key = key
        self.maxAge = maxAge.seconds
        self.offset = offset
    }

    public func process(_ line: ArraySlice<UInt8>, now: Int64) -> Outcome {
        let event: LineEvent
        switch parser.parse(line, context: TimeContext(now: now, offset: offset)) {
        case .ignored: return .skipped(.ignored)
        case .rejected(let reason): return .rejected(reason)
        case .event(let e): event = e
        }
        guard let category = event.host.flatMap(domains.category(of:))
                ?? event.filterCategory.flatMap({ categories[$0] }) else { return .skipped(.noMatch) }
        // The hour only (P3), never ahead of now; an hour of margin so the
        // daemon still accepts it when it reads the spool a little later.
        let instant = min(event.time ?? now, now)
        let hour = RFC3339.utcHourStart(instant)
        guard hour > now - maxAge + 3_600 else { return .skipped(.tooOld) }
        var fields: [(String, JSONWriter.Value)] = [
            ("v", .int(1)),
            ("id", .string(key.signalID(of: line))),
            ("ts", .string(RFC3339.utcText(hour))),
            ("source", .string(source)),
            ("category", .string(category)),
        ]
        if let client = event.client, let site = sites.value(for: client) { fields.append(("site", .string(site))) }
        let cohort = event.filterGroup.flatMap { groups[$0] } ?? event.client.flatMap(cohorts.value(for:))
        if let cohort { fields.append(("cohort", .string(cohort))) }
        // k counts pupils (issue 13); for a log line the best pseudonym is
        // the device, per local week (`LineKey.weeklySubject`).
        if let client = event.client {
            let week = PupilWeek.ordinal(wall: hour + Int64(offset(hour)))
            fields.append(("subject", .string(key.weeklySubject(of: client, week: week))))
        }
        return .signal(JSONWriter.render(.object(fields)))
    }
}

/// Lines by outcome, for the summary `vertrouwd adapt` prints.
public struct AdapterCounts: Hashable, Sendable {
    public var lines = 0
    public var signals = 0
    public var skipped: [AdapterPipeline.Skip: Int] = [:]
    public var rejected: [LineRejection: Int] = [:]

    public init() {}

    public mutating func record(_ outcome: AdapterPipeline.Outcome) {
        lines += 1
        switch outcome {
        case .signal: signals += 1
        case .skipped(let skip): skipped[skip, default: 0] += 1
        case .rejected(let reason): rejected[reason, default: 0] += 1
        }
    }

    /// One line; every count below k is shown as "<k" (P4), so the
    /// summary never tells that one device did one thing.
    public func render(adapter: String, k: Int) -> String {
        func shown(_ n: Int) -> String { n < k ? "<\(k)" : String(n) }
        var parts = ["\(shown(lines)) lines", "\(shown(signals)) signals"]
        for skip in AdapterPipeline.Skip.allCases { parts.append("\(skip.rawValue) \(shown(skipped[skip] ?? 0))") }
        let bad = LineRejection.allCases.filter { (rejected[$0] ?? 0) > 0 }
        parts.append(bad.isEmpty ? "unreadable 0" : "unreadable: " + bad.map { "\($0.rawValue) \(shown(rejected[$0]!))" }.joined(separator: ", "))
        return "adapt \(adapter): " + parts.joined(separator: "; ")
    }
}
