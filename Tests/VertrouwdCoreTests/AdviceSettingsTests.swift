import Foundation
import Testing
@testable import VertrouwdCore

/// `[advice]`: the shipped advice stays the default; a school adds its own
/// contacts, gives a category a topic and replaces or leaves out a line by
/// its id, without a release (issue 15 §3).
@Suite struct AdviceSettingsTests {
    /// Every line has one id and one text per language; an id names one line.
    @Test func everyShippedLineHasAStableUniqueId() {
        let all = MessageCatalog.schoolGeneralLines + MessageCatalog.schoolClosingLines + MessageCatalog.pupilGeneralLines
            + MessageCatalog.helpLines + [MessageCatalog.noImagesLine]
            + MessageCatalog.schoolSpecificLines.values.flatMap { $0 } + MessageCatalog.pupilSpecificLines.values.flatMap { $0 }
        var byID: [String: MessageCatalog.Line] = [:]
        for line in all {
            #expect(byID[line.id] == nil || byID[line.id] == line, "\(line.id) names two lines")
            byID[line.id] = line
            #expect(line.id.allSatisfy { $0.isLowercase || $0 == "-" }, "a bare TOML key: \(line.id)")
        }
        #expect(Set(MessageCatalog.lines.map(\.id)) == Set(byID.keys))
        #expect(MessageCatalog.lines.count == 24)
    }

    @Test func aSchoolCanGiveItsOwnCategoryATopic() {
        let settings = AdviceSettings(topics: ["pesten.online": .sextortion, "sextortion.threat": .general])
        #expect(MessageCatalog.topic(of: "pesten.online", settings) == .sextortion)
        #expect(MessageCatalog.topic(of: "sextortion.threat", settings) == .general, "the school's choice wins")
        #expect(MessageCatalog.topic(of: "pesten", settings) == .general, "not named: general, never another category's")
        #expect(MessageCatalog.topic(of: "grooming", settings) == .grooming)
    }

    @Test func aSchoolReplacesOrLeavesOutALineInOneLanguage() {
        let own = "Lesmateriaal staat in de map Burgerschap op de schoolschijf."
        let settings = AdviceSettings(lines: [.nl: ["school-lesson-material": own, "pupils-sextortion-dont-pay": ""]])
        let nl = MessageCatalog.advice(for: [.sextortion], .nl, settings)
        #expect(nl.school.contains(own))
        #expect(!nl.school.contains { $0.hasPrefix("Lesmateriaal vindt u bij Rutgers") })
        #expect(!nl.pupils.contains { $0.hasPrefix("Betaal niet.") })
        #expect(nl.pupils.contains { $0.hasPrefix("Heb je al betaald?") })
        let en = MessageCatalog.advice(for: [.sextortion], .en, settings)
        #expect(en == MessageCatalog.advice(for: [.sextortion], .en), "English keeps the shipped lines")
    }

    /// Without settings, the advice is the shipped one.
    @Test func noSettingsIsTheShippedAdvice() {
        for topic in MessageCatalog.Topic.allCases {
            for language in Language.allCases {
                #expect(MessageCatalog.advice(for: [topic], language, AdviceSettings()) == MessageCatalog.advice(for: [topic], language))
            }
        }
    }

    @Test func anAlertListsTheSchoolsContactsFirstUnderHelp() {
        let settings = AdviceSettings(contacts: [.init(role: "Zorgcoördinator", name: "J. de Vries", email: "zorg@school.nl"),
                                                 .init(role: "Wijkagent", phone: "06-12345678")])
        let content = AlertSamples.cases[0].content
        let text = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "S", language: .nl, k: 5, advice: settings).text
        #expect(text.contains("Hulp en advies\n- Zorgcoördinator (J. de Vries): zorg@school.nl\n- Wijkagent: 06-12345678\n- Helpwanted.nl"), "\(text)")
        let html = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "S", language: .nl, k: 5, advice: settings).html
        #expect(html.contains("<li style=\"margin:0 0 6px 0;\">Wijkagent: 06-12345678</li>"))
    }

    @Test func aContactReadsNaturally() {
        #expect(AdviceSettings.Contact(role: "Wijkagent").text == "Wijkagent")
        #expect(AdviceSettings.Contact(role: "Wijkagent", name: "P. Jansen").text == "Wijkagent (P. Jansen)")
        #expect(AdviceSettings.Contact(role: "Zorg", phone: "010-1", email: "z@s.nl").text == "Zorg: 010-1, z@s.nl")
    }

    /// A school's own contacts and lines, as an alert renders them: golden
    /// files in nl and en (read the diff before updating).
    static let school = AdviceSettings(
        contacts: [.init(role: "Zorgcoördinator", name: "J. de Vries", phone: "010-123 45 67", email: "zorg@voorbeeldcollege.nl"),
                   .init(role: "Wijkagent", name: "P. Jansen", phone: "0900-8844")],
        lines: [.nl: ["school-lesson-material": "Lesmateriaal voor de mentorles staat in de map Burgerschap op de schoolschijf.",
                      "help-kindertelefoon": ""],
                .en: ["school-lesson-material": "Lesson material for the mentor lesson is in the Citizenship folder on the school drive."]])

    @Test(arguments: ["own-advice.nl.txt", "own-advice.en.txt", "own-advice.nl.html"])
    func anAlertWithTheSchoolsAdviceMatchesItsGoldenFile(file: String) throws {
        let parts = file.split(separator: ".")
        let message = AlertMessage(AlertSamples.cases[0].content, taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege",
                                   language: Language(rawValue: String(parts[1]))!, k: 5, advice: Self.school)
        let actual = parts[2] == "txt" ? message.text : message.html
        let url = AlertMessageTests.golden.appendingPathComponent(file)
        if AlertMessageTests.updating { try actual.write(to: url, atomically: true, encoding: .utf8) }
        #expect(actual == (try String(contentsOf: url, encoding: .utf8)), "\(file) differs; run with VERTROUWD_UPDATE_GOLDEN=1 and read the diff")
    }
}
