import VertrouwdCore

/// e2guardian's access log in formats 5–8 (`logfileformat`, e2guardian.conf;
/// built in FatController.cpp): tab-separated, squid-like, with the filter's
/// result and category and the filter group:
///
///     utime server user client [clienthost] url method status size mimetype
///     useragent - duration - message_no what weight category group_name group_number
///     [searchterms flags]     (formats 7 and 8)
///
/// `utime` is `seconds.milliseconds`; `server` is blank in formats 6 and 8;
/// `clienthost` is there only with `logclientnameandip = on`. So a line has
/// 19, 20, 21 or 22 fields. The host comes from the URL; the user, the path
/// and the query never leave the parser.
public struct E2GuardianParser: LogLineParser {
    public init() {}

    public func parse(_ line: ArraySlice<UInt8>, context: TimeContext) -> ParseOutcome {
        guard line.count <= maxLineBytes else { return .rejected(.lineTooLong) }
        let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
        // 19: formats 5/6; 20: 5/6 with client host; 21: 7/8; 22: 7/8 with client host.
        guard (19...22).contains(fields.count) else {
            return fields.count == 1 ? .ignored : .rejected(.missingField)
        }
        let hostShift = fields.count == 20 || fields.count == 22 ? 1 : 0
        let stamp = fields[0]
        let seconds = stamp.split(separator: 0x2E, maxSplits: 1, omittingEmptySubsequences: false)
        guard let epoch = seconds.first?.decimal, seconds.count <= 2, seconds.count == 1 || seconds[1].decimal != nil
        else { return .rejected(.badTime) }
        let clientField = fields[3]
        var client: IPAddress?
        if !clientField.isEmpty && clientField != [0x2D] {
            guard let address = IPAddress(clientField.text) else { return .rejected(.badClient) }
            client = address
        }
        guard let host = Self.host(ofURL: fields[4 + hostShift]) else { return .rejected(.badName) }
        let category = fields[16 + hostShift].text.trimmingCharacters(in: " ")
        let group = fields[17 + hostShift].text.trimmingCharacters(in: " ")
        return .event(LineEvent(time: epoch, client: client, host: host,
                                filterCategory: category.isEmpty || category == "-" ? nil : category,
                                filterGroup: group.isEmpty || group == "-" ? nil : group))
    }

    /// The host of `http://host:port/path`, `https://host/…`, or of a
    /// CONNECT target `host:443`.
    static func host(ofURL url: ArraySlice<UInt8>) -> String? {
        var rest = url
        if let scheme = url.firstIndex(of: Array("://".utf8)) { rest = url[(scheme + 3)...] }
        let end = rest.firstIndex(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 }) ?? rest.endIndex
        var authority = rest[rest.startIndex..<end]
        if let at = authority.lastIndex(of: 0x40) { authority = authority[(at + 1)...] }
        if authority.first == 0x5B { return nil } // an IPv6 literal names no domain
        if let colon = authority.lastIndex(of: 0x3A) { authority = authority[authority.startIndex..<colon] }
        return normalizedHost(authority)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        return String(drop(while: { chars.contains($0) }).reversed().drop(while: { chars.contains($0) }).reversed())
    }
}
