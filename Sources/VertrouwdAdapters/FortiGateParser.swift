import VertrouwdCore

/// FortiGate web filter logs as FortiOS sends them to syslog (FortiOS Log
/// Message Reference, "Web filter" / log type `utm`, subtype `webfilter`):
///
///     date=2026-11-29 time=10:15:00 eventtime=1796290500123456789 tz="+0100" logid="0316013056"
///     type="utm" subtype="webfilter" eventtype="ftgd_blk" level="warning" srcip=10.1.40.23
///     hostname="www.nudify.example" action="blocked" cat=26 catdesc="Malicious Websites" group="klas4" …
///
/// Fields are `key=value`, the value bare or in double quotes. A line of
/// another type or subtype is `.ignored`. The time is `eventtime` (seconds,
/// or milli-, micro- or nanoseconds on newer FortiOS), else `date`+`time`
/// with `tz`. `user`, `url` and `msg` are never read.
public struct FortiGateParser: LogLineParser {
    public init() {}

    public func parse(_ line: ArraySlice<UInt8>, context: TimeContext) -> ParseOutcome {
        guard line.count <= maxLineBytes else { return .rejected(.lineTooLong) }
        var fields: [String: ArraySlice<UInt8>] = [:]
        var i = line.startIndex
        let end = line.endIndex
        while i < end {
            while i < end && line[i] == 0x20 { i += 1 }
            let keyStart = i
            while i < end && line[i] != 0x3D && line[i] != 0x20 { i += 1 }
            guard i < end, line[i] == 0x3D else { continue }
            let key = line[keyStart..<i]
            i += 1
            var value: ArraySlice<UInt8>
            if i < end && line[i] == 0x22 {
                let valueStart = i + 1
                guard let close = line[valueStart...].firstIndex(of: 0x22) else { return .rejected(.missingField) }
                value = line[valueStart..<close]
                i = close + 1
            } else {
                let valueStart = i
                while i < end && line[i] != 0x20 { i += 1 }
                value = line[valueStart..<i]
            }
            // A syslog header may run into the first key ("<189>date=…").
            var name = key
            if let gt = name.lastIndex(of: 0x3E) { name = name[(gt + 1)...] }
            switch name.text {
            case "type", "subtype", "srcip", "hostname", "cat", "catdesc", "group", "eventtime", "date", "time", "tz":
                fields[String(name.text)] = value
            default: break
            }
        }
        guard let type = fields["type"], let subtype = fields["subtype"] else {
            return fields.isEmpty ? .ignored : .rejected(.missingField)
        }
        guard Array(type) == Array("utm".utf8), Array(subtype) == Array("webfilter".utf8) else { return .ignored }
        guard let hostField = fields["hostname"] else { return .rejected(.missingField) }
        guard let host = normalizedHost(hostField) else { return .rejected(.badName) }
        var client: IPAddress?
        if let src = fields["srcip"] {
            guard let address = IPAddress(src.text) else { return .rejected(.badClient) }
            client = address
        }
        guard let time = Self.time(fields) else { return .rejected(.badTime) }
        let category = fields["catdesc"].map { String($0.text) } ?? fields["cat"].map { String($0.text) }
        let group = fields["group"].map { String($0.text) }
        return .event(LineEvent(time: time, client: client, host: host,
                                filterCategory: category?.isEmpty == false ? category : nil,
                                filterGroup: group?.isEmpty == false && group != "N/A" ? group : nil))
    }

    static func time(_ fields: [String: ArraySlice<UInt8>]) -> Int64? {
        if let raw = fields["eventtime"] {
            guard var n = raw.decimal else { return nil }
            while n > 100_000_000_000 { n /= 1_000 } // ms, µs or ns → s
            return n
        }
        guard let date = fields["date"], let time = fields["time"] else { return nil }
        var offset = "Z"
        if let tz = fields["tz"], tz.count == 5 {
            let t = String(tz.text)
            offset = "\(t.prefix(3)):\(t.suffix(2))"
        }
        return RFC3339.epochSeconds("\(date.text)T\(time.text)\(offset)")
    }
}
