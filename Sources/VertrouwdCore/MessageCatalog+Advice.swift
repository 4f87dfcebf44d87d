/// The advice under an alert, split by who it is for: what the school can
/// do (addressed to the trust contact, *u*-form) and what the school can
/// tell pupils (addressed to a pupil, *je*-form). Wording follows the Dutch
/// guidance on sextortion and online grooming (Helpwanted/Offlimits,
/// politie, Rutgers): take screenshots before blocking, don't pay and stop
/// even after paying, report, talk; staff never ask to see, receive or
/// keep images.
extension MessageCatalog {
    /// What kind of advice fits a category; the raw value is its spelling
    /// in `[advice.topics]`.
    public enum Topic: String, CaseIterable, Sendable {
        case sextortion, grooming
        case imageShared = "image_shared"
        case wellbeing
        /// A category this catalogue does not name: only the advice that
        /// fits every alert, never another topic's.
        case general
    }

    /// The topic of a category: the school's `[advice.topics]` first, then
    /// the shipped vocabulary's categories by name, everything else
    /// `.general` — never another category's advice.
    public static func topic(of category: String, _ settings: AdviceSettings) -> Topic {
        settings.topics[category] ?? topic(of: category)
    }

    /// The shipped topic of a category (no `[advice.topics]`).
    public static func topic(of category: String) -> Topic {
        switch category {
        case "sextortion", _ where category.hasPrefix("sextortion."): .sextortion
        case "grooming", "image.request": .grooming
        case "image.shared": .imageShared
        case "help_seeking", "distress": .wellbeing
        default: .general
        }
    }

    /// The advice for an alert about `topics`.
    public struct Advice: Hashable, Sendable {
        /// For the trust contact and the school, in the *u*-form.
        public var school: [String]
        /// For pupils, in the *je*-form: what the school can tell them.
        public var pupils: [String]
    }

    /// Advice for the topics of an alert: general advice first, then each
    /// topic's in a fixed order, each line once; the meldcode closes the
    /// school's part and the pupils' part ends with whom to talk to.
    /// A line with `settings` applied: the school's own text for it, none
    /// when that is "", else the shipped one.
    public static func text(of line: Line, _ language: Language, _ settings: AdviceSettings) -> String? {
        guard let own = settings.lines[language]?[line.id] else { return line.text(language) }
        return own.isEmpty ? nil : own
    }

    public static func advice(for topics: [Topic], _ language: Language, _ settings: AdviceSettings = AdviceSettings()) -> Advice {
        var school: [String] = []
        var pupils: [String] = []
        func add(_ lines: [Line], to list: inout [String]) {
            for line in lines {
                guard let text = text(of: line, language, settings), !list.contains(text) else { continue }
                list.append(text)
            }
        }
        add(schoolGeneralLines, to: &school)
        for topic in Topic.allCases where topics.contains(topic) {
            add(schoolSpecificLines[topic] ?? [], to: &school)
            add(pupilSpecificLines[topic] ?? [], to: &pupils)
        }
        add(schoolClosingLines, to: &school)
        add(pupilGeneralLines, to: &pupils)
        return Advice(school: school, pupils: pupils)
    }

    /// One shipped line of advice or help, with the id a school uses to
    /// replace it (`[advice.nl]`, `[advice.en]`).
    public struct Line: Hashable, Sendable {
        public var id: String
        public var nl: String
        public var en: String
        public func text(_ language: Language) -> String { language == .nl ? nl : en }
    }

    /// Every shipped line, each id once, in catalogue order: advice for the
    /// school, for pupils, then the help list.
    public static var lines: [Line] {
        var seen: Set<String> = []
        let all = schoolGeneralLines + Topic.allCases.flatMap { schoolSpecificLines[$0] ?? [] } + schoolClosingLines
            + Topic.allCases.flatMap { pupilSpecificLines[$0] ?? [] } + pupilGeneralLines + helpLines
        return all.filter { seen.insert($0.id).inserted }
    }

    /// Every advice line of every topic, for checks across the catalogue.
    public static var specific: [Topic: [Language: [String]]] {
        var all: [Topic: [Language: [String]]] = [:]
        for topic in Topic.allCases {
            for language in Language.allCases {
                all[topic, default: [:]][language] = ((schoolSpecificLines[topic] ?? []) + (pupilSpecificLines[topic] ?? [])).map { $0.text(language) }
            }
        }
        return all
    }

    /// The shipped lines of a list, in one language (tests and checks).
    static func texts(_ lines: [Line]) -> [Language: [String]] {
        Dictionary(uniqueKeysWithValues: Language.allCases.map { l in (l, lines.map { $0.text(l) }) })
    }

    static var schoolGeneral: [Language: [String]] { texts(schoolGeneralLines) }
    static var noImages: [Language: String] { [.nl: noImagesLine.nl, .en: noImagesLine.en] }

    // MARK: - For the school (u-form)

    static let schoolGeneralLines: [Line] = [
        Line(id: "school-talk-as-group",
             nl: "Bespreek het onderwerp met leerlingen als groep, bijvoorbeeld in de mentorles, zonder iemand aan te wijzen, en vertel bij wie ze terechtkunnen.",
             en: "Talk about the subject with pupils as a group, for instance in a mentor lesson, without singling anyone out, and tell them who they can turn to."),
        Line(id: "school-tell-mentors",
             nl: "Vertel de mentoren en de zorgcoördinator wat er speelt, zodat zij alert zijn.",
             en: "Tell the mentors and the care coordinator (zorgcoördinator) what is going on, so that they are alert."),
    ]

    static let noImagesLine = Line(
        id: "school-no-images",
        nl: "Vraag nooit om beelden te zien of te ontvangen, en bewaar ze niet, ook niet als bewijs. Dat geldt voor alle medewerkers.",
        en: "Never ask to see or receive images, and never keep them, not even as evidence. This applies to all staff.")

    static let schoolSpecificLines: [Topic: [Line]] = [
        .sextortion: [
            noImagesLine,
            Line(id: "school-sextortion-helpwanted",
                 nl: "Wijs leerlingen en ouders op Helpwanted.nl, waar ze ook anoniem kunnen melden en hulp krijgen, en op aangifte bij de politie.",
                 en: "Point pupils and parents to Helpwanted.nl, where they can report, also anonymously, and get help, and to reporting it to the police."),
        ],
        .grooming: [
            noImagesLine,
            Line(id: "school-grooming-helpwanted",
                 nl: "Wijs leerlingen op Helpwanted.nl om zulke contacten te melden, ook anoniem.",
                 en: "Point pupils to Helpwanted.nl to report such contacts, also anonymously."),
        ],
        .imageShared: [
            noImagesLine,
            Line(id: "school-image-shared-helpwanted",
                 nl: "Verwijs naar Helpwanted.nl: daar kan een leerling beelden melden en offline laten halen, ook anoniem.",
                 en: "Refer to Helpwanted.nl: a pupil can report images there and have them taken offline, also anonymously."),
        ],
        .wellbeing: [
            Line(id: "school-wellbeing-where-to-find-help",
                 nl: "Zorg dat leerlingen weten waar ze hulp vinden, op school en daarbuiten.",
                 en: "Make sure pupils know where to find help, at school and outside it."),
        ],
    ]

    static let schoolClosingLines: [Line] = [
        Line(id: "school-letter-to-parents",
             nl: "Overweeg een brief aan ouders: wat er speelt, hoe ze er thuis over kunnen praten en waar ze hulp vinden.",
             en: "Consider a letter to parents: what is going on, how to talk about it at home and where to find help."),
        Line(id: "school-lesson-material",
             nl: "Lesmateriaal vindt u bij Rutgers (relaties en seksualiteit, ook online) en bij Stichting School & Veiligheid.",
             en: "Lesson material is available from Rutgers (relationships and sexuality, also online) and from Stichting School & Veiligheid."),
        Line(id: "school-meldcode",
             nl: "Maakt u zich zorgen over een bepaalde leerling, volg dan de meldcode en vraag zo nodig advies aan Veilig Thuis (0800-2000).",
             en: "If you are worried about a particular pupil, follow the reporting code (meldcode) and ask Veilig Thuis for advice if needed (0800-2000)."),
    ]

    static var schoolClosing: [Language: [String]] { texts(schoolClosingLines) }

    // MARK: - For pupils (je-form)

    static let pupilSpecificLines: [Topic: [Line]] = [
        .sextortion: [
            Line(id: "pupils-sextortion-dont-pay",
                 nl: "Betaal niet. Na een betaling komen er bijna altijd nieuwe eisen.",
                 en: "Don't pay. After a payment there are almost always new demands."),
            Line(id: "pupils-sextortion-already-paid",
                 nl: "Heb je al betaald? Stop dan alsnog en vraag hulp. Het is nooit te laat.",
                 en: "Already paid? Stop now anyway and ask for help. It is never too late."),
            Line(id: "pupils-sextortion-screenshots",
                 nl: "Maak eerst screenshots van het profiel, de berichten en de betaalverzoeken, en blokkeer de afperser daarna. Verwijder niets.",
                 en: "First take screenshots of the profile, the messages and the payment demands, then block the extorter. Don't delete anything."),
            Line(id: "pupils-sextortion-report",
                 nl: "Meld het bij Helpwanted.nl (ook anoniem) en bij het platform, en doe aangifte bij de politie.",
                 en: "Report it to Helpwanted.nl (also anonymously) and to the platform, and report it to the police."),
        ],
        .grooming: [
            Line(id: "pupils-grooming-never-send",
                 nl: "Je hoeft nooit naaktbeelden te sturen, ook niet als iemand aardig doet, aandringt of iets belooft.",
                 en: "You never have to send nude images, not even when someone is nice, insists or promises something."),
            Line(id: "pupils-grooming-screenshots",
                 nl: "Maak eerst screenshots van de berichten en het profiel, blokkeer zo iemand daarna en meld het bij het platform of bij Helpwanted.nl.",
                 en: "First take screenshots of the messages and the profile, then block that person and report it to the platform or to Helpwanted.nl."),
        ],
        .imageShared: [
            Line(id: "pupils-image-shared-dont-forward",
                 nl: "Stuur naaktbeelden van een ander nooit door: dat is strafbaar en doet diegene veel pijn. Meld het wel.",
                 en: "Never forward nude images of someone else: it is a criminal offence and hurts them badly. Do report it."),
            Line(id: "pupils-image-shared-take-offline",
                 nl: "Staat er een beeld van jou online? Helpwanted.nl helpt je om het offline te halen, ook anoniem.",
                 en: "Is there an image of you online? Helpwanted.nl helps you take it offline, also anonymously."),
        ],
        .wellbeing: [
            Line(id: "pupils-wellbeing-kindertelefoon",
                 nl: "Zit je ergens mee? Bel of chat met de Kindertelefoon (0800-0432), of met 113 Zelfmoordpreventie (0800-0113) als je aan zelfmoord denkt.",
                 en: "Something on your mind? Call or chat with Kindertelefoon (0800-0432), or with 113 Suicide Prevention (0800-0113) if you are thinking about suicide."),
        ],
    ]

    static let pupilGeneralLines: [Line] = [
        Line(id: "pupils-talk",
             nl: "Praat erover met iemand die je vertrouwt, thuis of op school. Als iemand je onder druk zet of afperst, is dat nooit jouw schuld.",
             en: "Talk to someone you trust, at home or at school. If someone pressures or blackmails you, it is never your fault."),
    ]
}
