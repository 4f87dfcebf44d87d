import VertrouwdCore

/// What a parser read from one log line: only what the adapter needs to
/// decide, and nothing of it ever leaves the adapter as it is. The name is
/// matched against the domain lists, the client against the subnet maps;
/// then both are dropped.
public struct LineEvent: Hashable, Sendable {
    /// The line's own time (UTC epoch seconds), when it has one.
    public var time: Int64?
    /// The client's address, when the line names one.
    public var client: IPAddress?
    /// The queried or requested host name, lower-case, without a trailing dot.
    public var host: String?
    /// The filter's own category for the request (e2guardian, FortiGate).
    public var filterCategory: String?
    /// The filter's group (e2guardian filter group, FortiGate user group).
    public var filterGroup: String?

    public init(time: Int64? = nil, client: IPAddress? = nil, host: String? = nil,
                filterCategory: String? = nil, filterGroup: String? = nil) {
        self.time = time
        self.client = client
        self.host = host
        self.filterCategory = filterCategory
        self.filterGroup = filterGroup
    }
}

/// Why a line could not be read. Stable, snake_case codes: they are
/// counted and printed, and a code never carries any of the line's text.
public enum LineRejection: String, CaseIterable, Hashable, Sendable {
    case lineTooLong = "line_too_long"
    case missingField = "missing_field"
    case badTime = "bad_time"
    case badClient = "bad_client"
    case badName = "bad_name"
}

/// A parser's verdict on one line.
public enum ParseOutcome: Hashable, Sendable {
    /// A line of the kind the adapter reads (an RPZ hit, a query, a web request).
    case event(LineEvent)
    /// A well-formed line of another kind (start-up messages, replies …).
    case ignored
    /// A line of the right kind that could not be read.
    case rejected(LineRejection)
}

/// A log format's parser: pure, a line in, an outcome out.
public protocol LogLineParser: Sendable {
    /// Reads one line (without its newline). `context` gives what a time
    /// without a year or zone needs.
    func parse(_ line: ArraySlice<UInt8>, context: TimeContext) -> ParseOutcome
}

/// What reading a log time needs beyond the line: the current instant (a
/// syslog time has no year) and the zone the log was written in.
public struct TimeContext: Sendable {
    public var now: Int64
    /// Seconds east of UTC for a local time written at `epoch` (local).
    public var offset: @Sendable (Int64) -> Int

    public init(now: Int64, offset: @escaping @Sendable (Int64) -> Int) {
        self.now = now
        self.offset = offset
    }

    public static func utc(now: Int64) -> TimeContext { TimeContext(now: now, offset: { _ in 0 }) }
}

/// The parser for a format.
public func parser(for format: AdapterSettings.Format) -> any LogLineParser {
    switch format {
    case .unboundRPZ: UnboundRPZParser()
    case .dnsmasq: DnsmasqParser()
    case .e2guardian: E2GuardianParser()
    case .fortigate: FortiGateParser()
    }
}

/// The longest line any parser reads; longer lines are rejected unread.
public let maxLineBytes = 16_384
