import Foundation
import Testing
import VertrouwdCore

/// Sample health messages, each rendered in nl and en as text, HTML and JSON.
enum HealthSamples {
    static let zone = TimeZone(identifier: "Europe/Amsterdam")!
    static let now: Int64 = 1_764_748_800 // 2025-12-03T08:00:00Z

    static var facts: HealthFacts {
        var f = HealthFacts()
        f.waiting = 3
        f.oldestWaiting = now - 2 * 3_600 - 120
        f.failing[.email] = .init(count: 2, reason: "550 5.1.1 mailbox unavailable", since: now - 3_600)
        f.rejects = ["bad_json": 4, "missing_field": 1]
        f.lastSeen = ["webfilter": now - 3 * 86_400]
        f.disk = DiskSpace(free: 2_048 * 1_048_576, total: 100 * 1_024 * 1_048_576)
        return f
    }

    static let cases: [(name: String, notices: [HealthNotice], facts: HealthFacts)] = [
        ("delivery-failing", [HealthNotice(problem: .deliveryFailing(route: .email), change: .raised, since: now - 3_600)], facts),
        ("silent-and-disk", [HealthNotice(problem: .diskNearFull, change: .raised, since: now - 60),
                             HealthNotice(problem: .sourceSilent(source: "webfilter"), change: .ongoing, since: now - 2 * 86_400)], facts),
        ("cleared", [HealthNotice(problem: .storeDegraded, change: .cleared, since: now - 5_400)], HealthFacts()),
    ]

    static func message(_ name: String, _ language: Language) -> HealthMessage {
        let c = cases.first { $0.name == name }!
        return HealthMessage(id: "0123456789abcdef0123456789abcdef", notices: c.notices, facts: c.facts, schoolName: "Voorbeeldcollege",
                             language: language, zone: zone, now: now, repeatEvery: .hours(6))
    }
}

@Suite struct HealthMessageTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/health")
    static var updating: Bool { ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" }

    static var renderings: [String] {
        HealthSamples.cases.flatMap { c in Language.allCases.flatMap { l in ["txt", "html", "json"].map { "\(c.name).\(l.rawValue).\($0)" } } }
    }

    @Test(arguments: renderings)
    func renderingMatchesItsGoldenFile(file: String) throws {
        let parts = file.split(separator: ".")
        let m = HealthSamples.message(String(parts[0]), Language(rawValue: String(parts[1]))!)
        let actual = switch parts[2] {
        case "txt": "Subject: \(m.subject)\n\n\(m.text)"
        case "html": m.html
        default: m.json + "\n"
        }
        let url = Self.golden.appendingPathComponent(file)
        if Self.updating { try actual.write(to: url, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(file) differs; run with VERTROUWD_UPDATE_GOLDEN=1 and read the diff")
    }

    @Test func factsAreShownUnmaskedNotAsBelowK() {
        var f = HealthFacts()
        f.waiting = 1
        f.oldestWaiting = HealthSamples.now - 60
        f.failing[.socket] = .init(count: 1, reason: "no receiver", since: HealthSamples.now)
        f.rejects = ["bad_json": 2]
        let m = HealthMessage(id: "x", notices: [HealthNotice(problem: .deliveryFailing(route: .socket), change: .raised, since: HealthSamples.now)],
                              facts: f, schoolName: "S", language: .nl, zone: HealthSamples.zone, now: HealthSamples.now, repeatEvery: .hours(6))
        #expect(m.text.contains("Wachtende berichten: 1, oudste 1 min"))
        #expect(m.text.contains("1 bericht opgegeven"))
        #expect(m.text.contains("bad_json 2"))
        #expect(!m.text.contains("<5") && !m.text.contains("&lt;5"))
    }

    @Test func jsonIsOneLineOfTypeHealth() throws {
        let m = HealthSamples.message("delivery-failing", .en)
        #expect(!m.json.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(m.json.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "health")
        #expect(Set(object.keys) == ["type", "version", "id", "at", "notices", "waiting", "oldest_waiting", "failing",
                                     "rejects", "last_seen", "disk", "language", "text"])
        let notices = try #require(object["notices"] as? [[String: String]])
        #expect(notices.first?["problem"] == "delivery_failing.email" && notices.first?["change"] == "raised")
    }

    @Test func aSourceNameIsEscapedInHTML() {
        var f = HealthFacts()
        f.lastSeen = ["<b>x</b>": HealthSamples.now]
        let m = HealthMessage(id: "x", notices: [HealthNotice(problem: .sourceSilent(source: "<b>x</b>"), change: .raised, since: 0)],
                              facts: f, schoolName: "O'Neill", language: .nl, zone: HealthSamples.zone, now: HealthSamples.now, repeatEvery: .hours(6))
        #expect(!m.html.contains("<b>x</b>"))
    }
}
