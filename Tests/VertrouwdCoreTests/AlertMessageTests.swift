import Foundation
import Testing
import VertrouwdCore

/// The school of the message tests, with Dutch and English labels.
let messageTaxonomy: Taxonomy = {
    var t = Taxonomy(
        categories: Vocabulary(["grooming", "sextortion.threat", "sextortion.payment", "image.request", "image.shared", "help_seeking", "distress"]),
        sites: Vocabulary(["hoofdgebouw", "dependance"]),
        cohorts: Vocabulary(grouped: [("klas-1", "onderbouw"), ("klas-4", "bovenbouw")]),
        channels: Vocabulary(grouped: [("instagram", "social"), ("snapchat", "social"), ("discord", "gaming")]))
    t.labels[.nl] = ["sextortion.threat": "Afpersing: dreiging", "sextortion.payment": "Afpersing: betaalverzoek",
                     "grooming": "Grooming", "image.shared": "Naaktbeelden gedeeld", "hoofdgebouw": "Hoofdgebouw",
                     "bovenbouw": "Bovenbouw", "instagram": "Instagram", "help_seeking": "Hulpvraag", "distress": "Acute nood"]
    t.labels[.en] = ["sextortion.threat": "Sextortion: threat", "sextortion.payment": "Sextortion: payment demand",
                     "hoofdgebouw": "Main building", "bovenbouw": "Upper school", "instagram": "Instagram",
                     "help_seeking": "Help-seeking", "distress": "Acute distress"]
    return t
}()

enum AlertSamples {
    static let sunday = DateText.Day(year: 2026, month: 11, day: 29, weekday: 7)
    static let monday = DateText.Day(year: 2026, month: 11, day: 23, weekday: 1)

    static let cases: [(name: String, content: AlertContent)] = [
        ("day-site-channel", AlertContent(
            id: "3f0c1a9e5b7d4c2e8f6a0b1c2d3e4f50",
            rule: Rule(name: "sextortion-acuut", kind: .threshold(window: .day), match: [CategoryPattern("sextortion.*")],
                       minCount: 5, groupBy: [.site, .channel], severity: .high),
            period: .init(kind: .day, first: sunday, last: sunday),
            group: [(.site, "hoofdgebouw"), (.channel, "instagram")], atLeast: 5, escalation: false)),
        ("week-escalation", AlertContent(
            id: "9a1d2b3c4d5e6f708192a3b4c5d6e7f8",
            rule: Rule(name: "sextortion-week", kind: .threshold(window: .week), match: [CategoryPattern("sextortion.*")],
                       minCount: 10, groupBy: [.cohortGroup], severity: .high),
            period: .init(kind: .week, first: monday, last: sunday, isoWeek: (2026, 48)),
            group: [(.cohortGroup, "bovenbouw")], atLeast: 20, escalation: true)),
        ("rise-whole-school", AlertContent(
            id: "00112233445566778899aabbccddeeff",
            rule: Rule(name: "hulpvragen-stijging", kind: .rise(baselineWeeks: 6, factor: 2), match: [CategoryPattern("help_seeking"), CategoryPattern("distress")],
                       minCount: 5, groupBy: [], severity: .medium),
            period: .init(kind: .week, first: monday, last: sunday, isoWeek: (2026, 48)),
            group: [], atLeast: 5, escalation: false)),
        ("unknown-site", AlertContent(
            id: "ffeeddccbbaa99887766554433221100",
            rule: Rule(name: "beelden-gedeeld", kind: .threshold(window: .day), match: [CategoryPattern("image.shared")],
                       minCount: 5, groupBy: [.site], severity: .high),
            period: .init(kind: .day, first: sunday, last: sunday),
            group: [(.site, "")], atLeast: 10, escalation: true)),
        ("day-signals", {
            // count = "signals": the signals' band beside the pupils'.
            var rule = Rule(name: "grooming-dag", kind: .threshold(window: .day), match: [CategoryPattern("grooming")],
                            minCount: 5, groupBy: [], severity: .medium)
            rule.counting = .signals
            var content = AlertContent(id: "0123456789abcdef0123456789abcdef", rule: rule,
                                       period: .init(kind: .day, first: sunday, last: sunday), group: [], atLeast: 5, escalation: false)
            content.signalsAtLeast = 40
            return content
        }()),
    ]
}

@Suite struct AlertMessageTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/alerts")
    static var updating: Bool { ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" }

    static var renderings: [String] {
        AlertSamples.cases.flatMap { c in Language.allCases.flatMap { l in ["txt", "html", "json"].map { "\(c.name).\(l.rawValue).\($0)" } } }
    }

    func render(_ file: String) -> String {
        let parts = file.split(separator: ".")
        let content = AlertSamples.cases.first { $0.name == parts[0] }!.content
        let message = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege",
                                   language: Language(rawValue: String(parts[1]))!, k: 5)
        switch parts[2] {
        case "txt": return message.text
        case "html": return message.html
        default: return message.json + "\n"
        }
    }

    @Test(arguments: renderings)
    func renderingMatchesItsGoldenFile(file: String) throws {
        let actual = render(file)
        let url = Self.golden.appendingPathComponent(file)
        if Self.updating { try actual.write(to: url, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(file) differs; run with VERTROUWD_UPDATE_GOLDEN=1 and read the diff")
    }

    @Test(arguments: AlertSamples.cases.map(\.name))
    func jsonFollowsTheSocketSchemaAndCarriesNoCount(name: String) throws {
        let content = AlertSamples.cases.first { $0.name == name }!.content
        let json = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "X", language: .nl, k: 5).json
        #expect(!json.contains("\n"), "one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let keys: Set<String> = ["type", "version", "id", "rule", "severity", "match", "window", "group", "at_least", "escalation", "language", "title", "text"]
        #expect(Set(object.keys) == (content.signalsAtLeast == nil ? keys : keys.union(["signals_at_least"])))
        #expect(object["signals_at_least"] as? Int == content.signalsAtLeast)
        #expect(object["type"] as? String == "alert")
        #expect(object["version"] as? Int == 1)
        let atLeast = try #require(object["at_least"] as? Int)
        #expect(atLeast >= 5 && atLeast == content.atLeast)
        let window = try #require(object["window"] as? [String: String])
        #expect(window["start"]?.count == 10 && window["end"]?.count == 10, "day precision at most (P3)")
    }

    @Test func renderingTwiceGivesTheSameBytes() {
        for (_, content) in AlertSamples.cases {
            let a = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "S", language: .nl, k: 5)
            let b = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "S", language: .nl, k: 5)
            #expect(a.text == b.text && a.html == b.html && a.json == b.json)
        }
    }

    @Test func labelsAndTheSchoolNameAreEscapedInHTML() {
        var taxonomy = messageTaxonomy
        taxonomy.labels[.nl]!["hoofdgebouw"] = "<script>alert(1)</script> & \"co\""
        let html = AlertMessage(AlertSamples.cases[0].content, taxonomy: taxonomy, schoolName: "O'Neill <College>", language: .nl, k: 5).html
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;"))
        #expect(html.contains("O&#39;Neill &lt;College&gt;"))
    }

    @Test func datesAreWrittenOutWithoutTheMachinesLocale() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Amsterdam"))
        let day = DateText.Day(instant: 1_795_995_000, zone: zone) // 2026-11-30T00:30 local
        #expect(day == DateText.Day(year: 2026, month: 11, day: 30, weekday: 1))
        #expect(DateText.long(day, .nl) == "maandag 30 november 2026")
        #expect(DateText.long(day, .en) == "Monday 30 November 2026")
        let newYear = DateText.Day(year: 2027, month: 1, day: 3, weekday: 7)
        let before = DateText.Day(year: 2026, month: 12, day: 28, weekday: 1)
        #expect(DateText.range(before, newYear, .nl) == "28 december 2026 t/m 3 januari 2027")
        #expect(DateText.range(AlertSamples.monday, AlertSamples.sunday, .en) == "23 to 29 November 2026")
    }

    /// The subject names what, where and when, so that alerts do not fold
    /// into one thread; it never carries the count.
    @Test func theSubjectNamesWhatWhereAndWhenAndNeverTheCount() {
        let subjects = AlertSamples.cases.map { AlertMessage($0.content, taxonomy: messageTaxonomy, schoolName: "S", language: .nl, k: 5).subject }
        #expect(subjects == [
            "vertrouwd: Afpersing: dreiging, Afpersing: betaalverzoek – Hoofdgebouw, Instagram – 29 november 2026",
            "vertrouwd: Afpersing: dreiging, Afpersing: betaalverzoek – Bovenbouw – week 48 van 2026",
            "vertrouwd: Hulpvraag, Acute nood – de hele school – week 48 van 2026",
            "vertrouwd: Naaktbeelden gedeeld – locatie onbekend – 29 november 2026",
            "vertrouwd: Grooming – de hele school – 29 november 2026",
        ])
        #expect(Set(subjects).count == subjects.count)
        for (_, content) in AlertSamples.cases {
            var higher = content
            higher.atLeast = content.atLeast * 4 + 15
            for language in Language.allCases {
                let a = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "S", language: language, k: 5).subject
                let b = AlertMessage(higher, taxonomy: messageTaxonomy, schoolName: "S", language: language, k: 5).subject
                #expect(a == b, "the band changes the subject")
                #expect(!a.contains(String(higher.atLeast)) && !a.contains("ten minste") && !a.contains("at least"))
            }
        }
        let en = AlertMessage(AlertSamples.cases[1].content, taxonomy: messageTaxonomy, schoolName: "S", language: .en, k: 5).subject
        #expect(en == "vertrouwd: Sextortion: threat, Sextortion: payment demand – Upper school – week 48 of 2026")
    }

    @Test func aLongListOfCategoriesIsCutInTheSubject() {
        let content = AlertContent(
            id: "0123", rule: Rule(name: "alles", kind: .threshold(window: .day), match: [CategoryPattern("*")],
                                   minCount: 5, groupBy: [], severity: .low),
            period: .init(kind: .day, first: AlertSamples.sunday, last: AlertSamples.sunday), group: [], atLeast: 5, escalation: false)
        let subject = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "S", language: .nl, k: 5).subject
        #expect(subject == "vertrouwd: Grooming, Afpersing: dreiging, Afpersing: betaalverzoek e.a. – de hele school – 29 november 2026")
    }

    @Test func countsAreNumbersOfPupils() {
        for (_, content) in AlertSamples.cases {
            let nl = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "S", language: .nl, k: 5).text
            #expect(nl.contains("ten minste \(content.atLeast) leerlingen"))
            let en = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "S", language: .en, k: 5).text
            #expect(en.contains("at least \(content.atLeast) pupils"))
            if let signals = content.signalsAtLeast {
                // count = "signals": the signals beside the pupils, and what each counts.
                #expect(nl.contains("ten minste \(signals) signalen, van ten minste \(content.atLeast) leerlingen (één leerling kan meer signalen geven)"))
                #expect(nl.contains("Het aantal signalen telt elk signaal; de aantallen leerlingen zijn aantallen verschillende leerlingen"))
                #expect(en.contains("at least \(signals) signals, from at least \(content.atLeast) pupils"))
            } else {
                #expect(nl.contains("aantallen verschillende leerlingen; een aantal onder 5 wordt nooit getoond"))
                #expect(!nl.contains("signalen"))
                #expect(!en.contains("signals"))
            }
        }
    }

    @Test func jsonEscapesEveryControlCharacter() {
        let s = JSONWriter.render(.object([("a", .string("x\"\\\n\u{1}\u{2028}é"))]))
        #expect(s == #"{"a":"x\"\\\n\u0001\u2028é"}"#)
    }
}
