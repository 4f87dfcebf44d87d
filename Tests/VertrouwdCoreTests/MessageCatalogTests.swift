import Testing
@testable import VertrouwdCore

/// The advice under an alert: every category gets advice, a category the
/// catalogue does not name gets general advice (never another topic's), the
/// school's part is in the u-form and the pupils' part in the je-form, and
/// what the Dutch guidance asks for is there.
@Suite struct MessageCatalogTests {
    /// The categories of the shipped example (Config/vertrouwd.toml).
    static let shipped = ["grooming", "sextortion.threat", "sextortion.payment", "image.request", "image.shared", "help_seeking", "distress"]

    /// The words of a Dutch sentence, lower-cased.
    static func words(_ line: String) -> Set<String> {
        Set(line.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
    }

    @Test(arguments: shipped)
    func everyShippedCategoryHasItsOwnTopic(category: String) {
        #expect(MessageCatalog.topic(of: category) != .general)
    }

    @Test(arguments: ["pesten", "bullying", "groomingx", "sextortionist", "image", "image.other", ""])
    func aCategoryNotNamedGetsGeneralAdviceOnly(category: String) {
        #expect(MessageCatalog.topic(of: category) == .general)
        for language in Language.allCases {
            let advice = MessageCatalog.advice(for: [MessageCatalog.topic(of: category)], language)
            #expect(advice == MessageCatalog.advice(for: [], language))
            for topic in MessageCatalog.Topic.allCases where topic != .general {
                for line in MessageCatalog.specific[topic]![language]! {
                    #expect(!advice.school.contains(line) && !advice.pupils.contains(line), "\(category) got \(topic) advice: \(line)")
                }
            }
            #expect(!advice.school.isEmpty && !advice.pupils.isEmpty)
        }
    }

    @Test(arguments: MessageCatalog.Topic.allCases)
    func everyTopicGetsAdviceForTheSchoolAndForPupils(topic: MessageCatalog.Topic) {
        for language in Language.allCases {
            let advice = MessageCatalog.advice(for: [topic], language)
            #expect(advice.school.count >= 3 && advice.pupils.count >= 1)
            #expect(Set(advice.school).count == advice.school.count && Set(advice.pupils).count == advice.pupils.count, "no line twice")
            #expect(advice.school.last!.contains("meldcode"))
        }
        // A specific topic adds to the general advice.
        if topic != .general {
            let general = MessageCatalog.advice(for: [.general], .nl)
            let specific = MessageCatalog.advice(for: [topic], .nl)
            #expect(specific.school.count + specific.pupils.count > general.school.count + general.pupils.count)
        }
    }

    /// The school's part speaks to the trust contact (u), the pupils' part
    /// to a pupil (je).
    @Test(arguments: MessageCatalog.Topic.allCases)
    func theSchoolsPartIsInTheUFormAndThePupilsPartInTheJeForm(topic: MessageCatalog.Topic) {
        let advice = MessageCatalog.advice(for: [topic], .nl)
        let jeForm: Set = ["je", "jij", "jou", "jouw", "jezelf", "jullie"]
        let uForm: Set = ["u", "uw", "uzelf"]
        for line in advice.school {
            #expect(Self.words(line).isDisjoint(with: jeForm), "je-form in the school's part: \(line)")
        }
        for line in advice.pupils {
            #expect(Self.words(line).isDisjoint(with: uForm), "u-form in the pupils' part: \(line)")
        }
        #expect(advice.pupils.contains { !Self.words($0).isDisjoint(with: jeForm) }, "the pupils' part speaks to a pupil")
    }

    @Test func linesAddressedToAVictimAreInThePupilsPart() {
        let advice = MessageCatalog.advice(for: MessageCatalog.Topic.allCases, .nl)
        let school = advice.school.joined(separator: "\n").lowercased()
        let pupils = advice.pupils.joined(separator: "\n").lowercased()
        for phrase in ["blokkeer", "praat erover met iemand die je vertrouwt", "betaal niet"] {
            #expect(!school.contains(phrase), "\(phrase) is advice to a pupil")
            #expect(pupils.contains(phrase), "\(phrase)")
        }
        #expect(!(school + pupils).contains("bijna nooit af"))
    }

    /// What the Dutch guidance asks and the catalogue must say.
    @Test func theGuidanceIsThere() throws {
        let sextortion = MessageCatalog.advice(for: [.sextortion], .nl)
        let pupils = sextortion.pupils.joined(separator: "\n")
        let school = sextortion.school.joined(separator: "\n")
        // Screenshots first, then block.
        let line = try #require(sextortion.pupils.first { $0.contains("screenshot") })
        let shot = try #require(line.range(of: "screenshot"))
        let block = try #require(line.range(of: "blokkeer"))
        #expect(shot.lowerBound < block.lowerBound)
        #expect(pupils.contains("Heb je al betaald? Stop dan alsnog en vraag hulp"))
        #expect(pupils.contains("Helpwanted.nl") && school.contains("Helpwanted.nl"))
        #expect(school.contains("Vraag nooit om beelden te zien of te ontvangen, en bewaar ze niet"))
        #expect(school.contains("mentoren en de zorgcoördinator"))
        #expect(school.contains("brief aan ouders"))
        #expect(school.contains("Rutgers") && school.contains("School & Veiligheid"))
        for topic in [MessageCatalog.Topic.grooming, .imageShared] {
            #expect(MessageCatalog.advice(for: [topic], .nl).school.contains(MessageCatalog.noImages[.nl]!))
        }
    }

    @Test func bothLanguagesHaveTheSameShape() {
        for topic in MessageCatalog.Topic.allCases {
            let nl = MessageCatalog.advice(for: [topic], .nl)
            let en = MessageCatalog.advice(for: [topic], .en)
            #expect(nl.school.count == en.school.count && nl.pupils.count == en.pupils.count, "\(topic)")
        }
    }

    @Test func anAlertAboutAnUnnamedCategoryShowsGeneralAdviceAndNoGroomingAdvice() {
        var taxonomy = messageTaxonomy
        taxonomy.categories = Vocabulary(["grooming", "pesten"])
        let content = AlertContent(
            id: "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f",
            rule: Rule(name: "pesten-dag", kind: .threshold(window: .day), match: [CategoryPattern("pesten")],
                       minCount: 5, groupBy: [], severity: .medium),
            period: .init(kind: .day, first: AlertSamples.sunday, last: AlertSamples.sunday),
            group: [], atLeast: 5, escalation: false)
        let text = AlertMessage(content, taxonomy: taxonomy, schoolName: "S", language: .nl, k: 5).text
        #expect(text.contains("Wat u als school kunt doen") && text.contains("Wat u leerlingen kunt meegeven"))
        #expect(text.contains(MessageCatalog.schoolGeneral[.nl]![0]))
        for line in MessageCatalog.specific[.grooming]![.nl]! {
            #expect(!text.contains(line), "grooming advice for an unnamed category: \(line)")
        }
    }
}
