import VertrouwdCore

/// Unbound's `rpz-log: yes` lines (unbound.conf(5), "rpz-log"; written by
/// `log_rpz_apply` in services/rpz.c):
///
///     [1732871700] unbound[812:0] info: rpz: applied [school] *.nudify.example. rpz-nxdomain 10.1.40.23@51234 www.nudify.example. A IN
///
/// After `rpz: applied ` come the optional `[rpz-log-name]`, the trigger
/// (for non-qname triggers), the matched RPZ name, the action, the client
/// as `ip@port` (absent when Unbound has no client), then the query name,
/// type and class. Read from the end, so a log name with spaces or an
/// absent client does not shift the fields. Every other Unbound line is
/// `.ignored`.
public struct UnboundRPZParser: LogLineParser {
    public init() {}

    static let marker = Array("rpz: applied ".utf8)

    public func parse(_ line: ArraySlice<UInt8>, context: TimeContext) -> ParseOutcome {
        guard line.count <= maxLineBytes else { return .rejected(.lineTooLong) }
        guard let at = line.firstIndex(of: Self.marker) else { return .ignored }
        var rest = line[(at + Self.marker.count)...]
        if rest.first == 0x5B {
            guard let close = rest.firstIndex(of: [0x5D, 0x20]) else { return .rejected(.missingField) }
            rest = rest[(close + 2)...]
        }
        let words = rest.words()
        // name action qname qtype qclass, at least; the client is optional.
        guard words.count >= 5 else { return .rejected(.missingField) }
        let n = words.count
        guard Self.isMnemonic(words[n - 1]), Self.isMnemonic(words[n - 2]) else { return .rejected(.missingField) }
        guard let host = normalizedHost(words[n - 3]) else { return .rejected(.badName) }
        var client: IPAddress?
        let candidate = words[n - 4]
        if let sign = candidate.lastIndex(of: 0x40) {
            guard let address = IPAddress(candidate[candidate.startIndex..<sign].text),
                  candidate[(sign + 1)...].decimal != nil else { return .rejected(.badClient) }
            client = address
        }
        let time = LogTime.prefix(line, context: context)?.time
        return .event(LineEvent(time: time, client: client, host: host))
    }

    /// A query type or class as Unbound prints it: `A`, `AAAA`, `IN`, `TYPE65`.
    static func isMnemonic(_ word: ArraySlice<UInt8>) -> Bool {
        (1...16).contains(word.count) && word.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}
