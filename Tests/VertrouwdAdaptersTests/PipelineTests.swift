import Foundation
import PropertyBased
import Testing
import VertrouwdAdapters
import VertrouwdCore

/// A line in, a signal or a counted reason out; nothing of the line but
/// its category and the site and cohort of its client leaves.
@Suite struct PipelineTests {
    static let lists = Fixture.matcher("""
        helpwanted.nl help_seeking
        kindertelefoon.nl help_seeking
        nudify.example image.shared
        clothoff.io image.shared
        """)

    static func pipeline(_ format: AdapterSettings.Format, categories: [String: String] = [:],
                         groups: [String: String] = [:]) -> AdapterPipeline {
        let settings = AdapterSettings(
            name: "dns", format: format, lists: ["x"],
            sites: [SubnetValue(network: IPNetwork(cidr: "10.1.0.0/16")!, value: "hoofdgebouw"),
                    SubnetValue(network: IPNetwork(cidr: "127.0.0.0/8")!, value: "dependance")],
            cohorts: [SubnetValue(network: IPNetwork(cidr: "10.1.40.0/24")!, value: "klas-4")],
            categories: categories, groups: groups)
        return AdapterPipeline(settings: settings, domains: lists, key: LineKey(bytes: Array(repeating: 1, count: 32)),
                               maxAge: .days(7), offset: Fixture.amsterdam)
    }

    func outcomes(_ p: AdapterPipeline, _ file: String) throws -> [AdapterPipeline.Outcome] {
        try Fixture.lines(file).map { p.process($0, now: Fixture.now) }
    }

    func json(_ o: AdapterPipeline.Outcome) -> [String: String]? {
        guard case .signal(let text) = o,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return object.mapValues { "\($0)" }
    }

    @Test func unboundLinesBecomeSignalsWithSiteAndCohort() throws {
        let out = try outcomes(Self.pipeline(.unboundRPZ), "unbound-rpz.log")
        #expect(out[0] == .skipped(.ignored))
        let first = try #require(json(out[1]))
        #expect(first["category"] == "image.shared")
        #expect(first["source"] == "dns")
        #expect(first["site"] == "dependance")
        #expect(first["ts"] == "2026-12-02T18:00:00Z")  // floored to the hour (P3)
        #expect(first["v"] == "1")
        #expect(first["id"]?.count == 32)
        #expect(first["cohort"] == nil)
        #expect(json(out[2])?["category"] == "help_seeking")
        // The syslog line: 29 November 10:15 in Amsterdam, floored to the hour in UTC.
        #expect(json(out[3])?["ts"] == "2026-11-29T09:00:00Z")
        #expect(json(out[3])?["site"] == nil)  // an IPv6 client in no configured network
        // Older than max_age (7 days), less the hour of margin: no signal.
        let old = ArraySlice("[\(Fixture.now - 7 * 86_400 + 1_800)] unbound[1:0] info: rpz: applied [v] ome.tv. nx 10.1.0.1@5 helpwanted.nl. A IN".utf8)
        #expect(Self.pipeline(.unboundRPZ).process(old, now: Fixture.now) == .skipped(.tooOld))
    }

    @Test func aSignalCarriesOnlyItsEightFields() throws {
        let p = Self.pipeline(.dnsmasq)
        let line = ArraySlice("Dec  3 10:00:01 dnsmasq[1]: query[A] www.helpwanted.nl from 10.1.40.23".utf8)
        guard case .signal(let text) = p.process(line, now: Fixture.now) else { Issue.record("no signal"); return }
        let key = LineKey(bytes: Array(repeating: 1, count: 32))
        let id = key.signalID(of: line)
        // The device's pseudonym for the local week of 2026-12-03.
        let week = PupilWeek.ordinal(containing: 1_796_288_400, in: TimeZone(identifier: "Europe/Amsterdam")!)
        let subject = key.weeklySubject(of: IPAddress("10.1.40.23")!, week: week)
        #expect(text == #"{"v":1,"id":"\#(id)","ts":"2026-12-03T09:00:00Z","source":"dns","category":"help_seeking","site":"hoofdgebouw","cohort":"klas-4","subject":"\#(subject)"}"#)
    }

    @Test func aLineOnNoListGivesNothing() {
        let p = Self.pipeline(.dnsmasq)
        #expect(p.process(ArraySlice("Dec  3 10:00:01 dnsmasq[1]: query[A] example.org from 10.1.40.23".utf8), now: Fixture.now)
                == .skipped(.noMatch))
    }

    @Test func filterCategoriesAndGroupsMapWhenTheHostIsOnNoList() throws {
        let p = Self.pipeline(.e2guardian, categories: ["Pornography": "image.shared"], groups: ["leerlingen-4": "klas-4"])
        let out = try outcomes(p, "e2guardian.log")
        #expect(json(out[0])?["category"] == "image.shared")        // clothoff.io is on the list
        #expect(json(out[0])?["cohort"] == "klas-4")                // from the filter group
        #expect(out[1] == .skipped(.noMatch))
        #expect(json(out[2])?["category"] == "image.shared")        // "Pornography" from the map
        let forti = try outcomes(Self.pipeline(.fortigate), "fortigate.log")
        #expect(json(forti[0])?["category"] == "image.shared")
        #expect(forti[2] == .skipped(.ignored))
    }

    @Test func countsBelowKAreShownAsLessThanK() {
        var counts = AdapterCounts()
        for _ in 0..<12 { counts.record(.skipped(.noMatch)) }
        counts.record(.signal("{}"))
        counts.record(.rejected(.badClient))
        #expect(counts.render(adapter: "dns", k: 5)
                == "adapt dns: 14 lines; <5 signals; ignored <5; no_match 12; too_old <5; unreadable: bad_client <5")
    }

    // MARK: - Properties

    static let formats: [AdapterSettings.Format] = AdapterSettings.Format.allCases

    /// Random bytes never crash a parser, and a rejection is a reason code
    /// only: nothing of the input can ride along.
    @Test func randomBytesNeverCrashAndRejectionsCarryNoText() async {
        await propertyCheck(count: 2_000, input: Gen.uint8().array(of: 0...300)) { bytes in
            for format in Self.formats {
                let outcome = VertrouwdAdapters.parser(for: format).parse(ArraySlice(bytes), context: Fixture.context())
                if case .rejected(let reason) = outcome {
                    #expect(LineRejection.allCases.contains(reason))
                    #expect(String(describing: outcome) == "rejected(VertrouwdAdapters.LineRejection.\(reason))")
                }
            }
        }
    }

    /// Mutations of real lines (the fixtures with bytes replaced) never crash.
    @Test func mutatedFixtureLinesNeverCrash() async throws {
        let lines = try ["unbound-rpz.log", "dnsmasq.log", "e2guardian.log", "fortigate.log"].flatMap { try Fixture.lines($0) }.map(Array.init)
        await propertyCheck(count: 2_000, input: zip(Gen.int(in: 0...(lines.count - 1)), Gen.uint8().array(of: 1...6), Gen.int(in: 0...400))) { pick, bytes, at in
            var line = lines[pick]
            for (i, b) in bytes.enumerated() where !line.isEmpty { line[(at + i * 7) % line.count] = b }
            for format in Self.formats {
                _ = VertrouwdAdapters.parser(for: format).parse(ArraySlice(line), context: Fixture.context())
            }
        }
    }

    /// For any client and any listed host, the signal never contains the
    /// client's address or the host name, in any spelling.
    @Test func noAddressOrNameEverReachesASignal() async {
        let p = Self.pipeline(.dnsmasq)
        await propertyCheck(count: 1_000, input: zip(Gen.uint8().array(of: 4...4), Gen.int(in: 0...3), Gen.uint8(in: 97...122).array(of: 1...12))) { octets, which, label in
            let client = octets.map(String.init).joined(separator: ".")
            let sub = String(decoding: label, as: UTF8.self)
            let host = "\(sub).\(["helpwanted.nl", "kindertelefoon.nl", "nudify.example", "clothoff.io"][which])"
            let line = ArraySlice("Dec  3 10:00:01 dnsmasq[1]: query[A] \(host) from \(client)".utf8)
            guard case .signal(let text) = p.process(line, now: Fixture.now) else {
                Issue.record("a listed host gave no signal")
                return
            }
            #expect(!text.contains(client))
            #expect(!text.contains(host))
            #expect(!text.contains(".nl") && !text.contains(".example") && !text.contains(".io"))
        }
    }
}
