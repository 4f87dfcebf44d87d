import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdConfig

/// `[advice]` decodes into `Configuration.advice`; absent, the shipped advice.
@Suite struct AdviceDecoderTests {
    @Test func noAdviceSectionIsTheShippedAdvice() throws {
        let config = try #require(decode(minimalConfig).0)
        #expect(config.advice == AdviceSettings())
    }

    @Test func contactsTopicsAndLinesDecode() throws {
        let text = minimalConfig + """
            [advice.topics]
            "sextortion.threat" = "general"

            [[advice.contact]]
            role = " Zorgcoördinator "
            name = "J. de Vries"
            phone = "+31 (0)10-123 45 67"
            email = "zorg@school.nl"

            [[advice.contact]]
            role = "Wijkagent"
            name = ""

            [advice.nl]
            help-police = "Politie: 0900-8844."
            pupils-talk = ""

            [advice.en]
            help-police = "Police: 0900-8844."

            """
        let (c, diagnostics) = decode(text)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let advice = try #require(c).advice
        #expect(advice.topics == ["sextortion.threat": .general])
        #expect(advice.contacts == [.init(role: "Zorgcoördinator", name: "J. de Vries", phone: "+31 (0)10-123 45 67", email: "zorg@school.nl"),
                                    .init(role: "Wijkagent")])
        #expect(advice.lines == [.nl: ["help-police": "Politie: 0900-8844.", "pupils-talk": ""], .en: ["help-police": "Police: 0900-8844."]])
    }

    @Test func aMisspelledSectionGetsDidYouMean() {
        let (c, diagnostics) = decode(minimalConfig + "\n[advise.nl]\nhelp-police = \"x\"\n")
        #expect(c == nil)
        #expect(diagnostics.contains { $0.message.contains("unknown section [advise") && ($0.hint ?? "").contains("advice") }, "\(diagnostics)")
    }

    @Test func tooManyContactsAreRefused() {
        let contacts = (0..<11).map { "[[advice.contact]]\nrole = \"r\($0)\"\n" }.joined(separator: "\n")
        let (c, diagnostics) = decode(minimalConfig + contacts)
        #expect(c == nil)
        #expect(diagnostics.contains { $0.message.contains("at most 10 [[advice.contact]] sections") }, "\(diagnostics)")
    }
}
