import Foundation
import Testing
import VertrouwdAdapters
import VertrouwdCore

/// Each parser on its fixture: what it reads from each kind of line.
@Suite struct ParserTests {
    func events(_ parser: any LogLineParser, _ file: String) throws -> [ParseOutcome] {
        try Fixture.lines(file).map { parser.parse($0, context: Fixture.context()) }
    }

    @Test func unboundRPZLinesFromTheRealBinary() throws {
        let out = try events(UnboundRPZParser(), "unbound-rpz.log")
        #expect(out.count == 4)
        #expect(out[0] == .ignored)
        #expect(out[1] == .event(LineEvent(time: 1_796_236_099, client: IPAddress("127.0.0.2"), host: "www.nudify.example")))
        #expect(out[2] == .event(LineEvent(time: 1_796_236_099, client: IPAddress("127.0.0.3"), host: "kindertelefoon.nl")))
        // Syslog time: 10:15 in Amsterdam (UTC+1) on 29 November 2026.
        #expect(out[3] == .event(LineEvent(time: 1_795_943_700, client: IPAddress("2001:db8:40::17"), host: "helpwanted.nl")))
    }

    @Test func unboundWithoutClientOrWithBrokenFields() {
        let p = UnboundRPZParser()
        let c = Fixture.context()
        func parse(_ s: String) -> ParseOutcome { p.parse(ArraySlice(s.utf8), context: c) }
        // Unbound prints no ip@port when it has no client address.
        #expect(parse("[1] unbound[1:0] info: rpz: applied [x] a.example. rpz-nxdomain  a.example. A IN")
                == .event(LineEvent(time: 1, client: nil, host: "a.example")))
        #expect(parse("[1] unbound[1:0] info: rpz: applied [x] a.example. A IN") == .rejected(.missingField))
        #expect(parse("[1] unbound[1:0] info: rpz: applied [x] a.example. nx 10.0.0.300@5 a.example. A IN") == .rejected(.badClient))
        #expect(parse("[1] unbound[1:0] info: rpz: applied [x] a.example. nx 10.0.0.3@5 a..example. A IN") == .rejected(.badName))
        #expect(parse("[1] unbound[1:0] info: rpz: applied [x] a.example. nx 10.0.0.3@5 a.example. a in") == .rejected(.missingField))
        #expect(parse(String(repeating: "x", count: maxLineBytes + 1)) == .rejected(.lineTooLong))
    }

    @Test func dnsmasqQueryLinesFromTheRealBinary() throws {
        let out = try events(DnsmasqParser(), "dnsmasq.log")
        #expect(out.count == 8)
        #expect(out[0] == .ignored && out[1] == .ignored && out[3] == .ignored && out[5] == .ignored && out[7] == .ignored)
        // Syslog times have no year: 2 December before "now" (3 December 2026) is 2026.
        let dec2 = LogTimeCheck.epoch(2026, 12, 2, 17, 28, 29)
        #expect(out[2] == .event(LineEvent(time: dec2, client: IPAddress("127.0.0.4"), host: "nudify.example")))
        #expect(out[4] == .event(LineEvent(time: dec2, client: IPAddress("127.0.0.4"), host: "undress.example")))
        #expect(out[6] == .event(LineEvent(time: dec2 + 1, client: IPAddress("10.1.40.23"), host: "www.kindertelefoon.nl")))
    }

    @Test func dnsmasqBrokenQueryLines() {
        let p = DnsmasqParser()
        let c = Fixture.context()
        #expect(p.parse(ArraySlice("Dec  2 18:28:30 dnsmasq[812]: query[A] x.example from nowhere".utf8), context: c) == .rejected(.badClient))
        #expect(p.parse(ArraySlice("Dec  2 18:28:30 dnsmasq[812]: query[A] x.example".utf8), context: c) == .rejected(.missingField))
        #expect(p.parse(ArraySlice("Dec  2 18:28:30 dnsmasq[812]: query[A] x/y from 10.0.0.1".utf8), context: c) == .rejected(.badName))
    }

    @Test func e2guardianFormatsFiveToEight() throws {
        let out = try events(E2GuardianParser(), "e2guardian.log")
        #expect(out.count == 3)
        #expect(out[0] == .event(LineEvent(time: 1_796_290_500, client: IPAddress("10.1.40.23"), host: "www.clothoff.io",
                                           filterCategory: "Nudity", filterGroup: "leerlingen-4")))
        #expect(out[1] == .event(LineEvent(time: 1_796_290_501, client: IPAddress("10.2.3.4"), host: "example.org",
                                           filterCategory: nil, filterGroup: "leerlingen")))
        #expect(out[2] == .event(LineEvent(time: 1_796_290_502, client: IPAddress("10.1.12.9"), host: "search.example",
                                           filterCategory: "Pornography", filterGroup: "leerlingen-4")))
        #expect(E2GuardianParser().parse(ArraySlice("a\tb\tc".utf8), context: Fixture.context()) == .rejected(.missingField))
    }

    @Test func fortigateWebFilterLines() throws {
        let out = try events(FortiGateParser(), "fortigate.log")
        #expect(out.count == 3)
        #expect(out[0] == .event(LineEvent(time: 1_795_943_700, client: IPAddress("10.1.40.23"), host: "www.clothoff.io",
                                           filterCategory: "Child Sexual Abuse", filterGroup: "klas4")))
        // No eventtime: date and time in the zone of tz.
        #expect(out[1] == .event(LineEvent(time: 1_795_943_760, client: IPAddress("10.1.12.9"), host: "www.kindertelefoon.nl",
                                           filterCategory: "Health and Wellness")))
        #expect(out[2] == .ignored)
        #expect(FortiGateParser().parse(ArraySlice("type=\"utm\" subtype=\"webfilter\" srcip=1.2.3.4".utf8), context: Fixture.context())
                == .rejected(.missingField))
    }
}

enum LogTimeCheck {
    static func epoch(_ y: Int, _ m: Int, _ d: Int, _ h: Int64, _ min: Int64, _ s: Int64) -> Int64 {
        RFC3339.epochSeconds(String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, Int(h), Int(min), Int(s)))!
    }
}
