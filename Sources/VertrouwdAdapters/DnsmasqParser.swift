import VertrouwdCore

/// dnsmasq's query log (`log-queries`, dnsmasq(8)), as dnsmasq writes it to
/// `log-facility` or syslog, and as Pi-hole's FTL writes pihole.log:
///
///     Dec  2 18:28:29 dnsmasq[812]: query[A] www.nudify.example from 10.1.40.23
///     Dec  2 18:28:29 dnsmasq[812]: 5 10.1.40.23/51234 query[A] www.nudify.example from 10.1.40.23
///
/// (the second with `log-queries=extra`). The adapter reads the query
/// lines: whether dnsmasq then blocked the name (`config NAME is 0.0.0.0`,
/// `/etc/hosts.block NAME is 0.0.0.0`, Pi-hole's `gravity blocked …`) does
/// not matter, the domain lists decide. Every other line is `.ignored`.
public struct DnsmasqParser: LogLineParser {
    public init() {}

    static let marker = Array("query[".utf8)
    static let from = Array(" from ".utf8)

    public func parse(_ line: ArraySlice<UInt8>, context: TimeContext) -> ParseOutcome {
        guard line.count <= maxLineBytes else { return .rejected(.lineTooLong) }
        guard let at = line.firstIndex(of: Self.marker) else { return .ignored }
        // "query[" must start a word: "dnsmasq[812]: query[" or "… 10.1.40.23/51234 query[".
        guard at > line.startIndex, line[at - 1] == 0x20 else { return .ignored }
        guard let close = line[(at + Self.marker.count)...].firstIndex(of: 0x5D),
              close + 1 < line.endIndex, line[close + 1] == 0x20 else { return .rejected(.missingField) }
        let afterType = line[(close + 2)...]
        guard let fromAt = afterType.firstIndex(of: Self.from) else { return .rejected(.missingField) }
        guard let host = normalizedHost(afterType[afterType.startIndex..<fromAt]) else { return .rejected(.badName) }
        let clientText = line[(fromAt + Self.from.count)...]
        guard let client = IPAddress(clientText.text) else { return .rejected(.badClient) }
        let time = LogTime.prefix(line, context: context)?.time
        return .event(LineEvent(time: time, client: client, host: host))
    }
}
