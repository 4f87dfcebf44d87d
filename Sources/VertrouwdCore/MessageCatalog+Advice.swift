/// The advice under an alert, split by who it is for: what the school can
/// do (addressed to the trust contact, *u*-form) and what the school can
/// tell pupils (addressed to a pupil, *je*-form). Wording follows the Dutch
/// guidance on sextortion and online grooming (Helpwanted/Offlimits,
/// politie, Rutgers): take screenshots before blocking, don't pay and stop
/// even after paying, report, talk; staff never ask to see, receive or
/// keep images.
extension MessageCatalog {
    /// What kind of advice fits a category.
    public enum Topic: CaseIterable, Sendable {
        case sextortion, grooming, imageShared, wellbeing
        /// A category this catalogue does not name: only the advice that
        /// fits every alert, never another topic's.
        case general
    }

    /// The topic of a category: the shipped vocabulary's categories by
    /// name, everything else `.general`.
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
    public static func advice(for topics: [Topic], _ language: Language) -> Advice {
        var school: [String] = []
        var pupils: [String] = []
        func add(_ lines: [String], to list: inout [String]) {
            for line in lines where !list.contains(line) { list.append(line) }
        }
        add(schoolGeneral[language]!, to: &school)
        for topic in Topic.allCases where topics.contains(topic) {
            add(schoolSpecific[topic]?[language] ?? [], to: &school)
            add(pupilSpecific[topic]?[language] ?? [], to: &pupils)
        }
        add(schoolClosing[language]!, to: &school)
        add(pupilGeneral[language]!, to: &pupils)
        return Advice(school: school, pupils: pupils)
    }

    /// Every advice line of every topic, for checks across the catalogue.
    public static var specific: [Topic: [Language: [String]]] {
        var all: [Topic: [Language: [String]]] = [:]
        for topic in Topic.allCases {
            for language in Language.allCases {
                all[topic, default: [:]][language] = (schoolSpecific[topic]?[language] ?? []) + (pupilSpecific[topic]?[language] ?? [])
            }
        }
        return all
    }

    // MARK: - For the school (u-form)

    static let schoolGeneral: [Language: [String]] = [
        .nl: ["Bespreek het onderwerp met leerlingen als groep, bijvoorbeeld in de mentorles, zonder iemand aan te wijzen, en vertel bij wie ze terechtkunnen.",
              "Vertel de mentoren en de zorgcoördinator wat er speelt, zodat zij alert zijn."],
        .en: ["Talk about the subject with pupils as a group, for instance in a mentor lesson, without singling anyone out, and tell them who they can turn to.",
              "Tell the mentors and the care coordinator (zorgcoördinator) what is going on, so that they are alert."],
    ]

    static let noImages: [Language: String] = [
        .nl: "Vraag nooit om beelden te zien of te ontvangen, en bewaar ze niet, ook niet als bewijs. Dat geldt voor alle medewerkers.",
        .en: "Never ask to see or receive images, and never keep them, not even as evidence. This applies to all staff.",
    ]

    static let schoolSpecific: [Topic: [Language: [String]]] = [
        .sextortion: [
            .nl: [noImages[.nl]!,
                  "Wijs leerlingen en ouders op Helpwanted.nl, waar ze ook anoniem kunnen melden en hulp krijgen, en op aangifte bij de politie."],
            .en: [noImages[.en]!,
                  "Point pupils and parents to Helpwanted.nl, where they can report, also anonymously, and get help, and to reporting it to the police."],
        ],
        .grooming: [
            .nl: [noImages[.nl]!,
                  "Wijs leerlingen op Helpwanted.nl om zulke contacten te melden, ook anoniem."],
            .en: [noImages[.en]!,
                  "Point pupils to Helpwanted.nl to report such contacts, also anonymously."],
        ],
        .imageShared: [
            .nl: [noImages[.nl]!,
                  "Verwijs naar Helpwanted.nl: daar kan een leerling beelden melden en offline laten halen, ook anoniem."],
            .en: [noImages[.en]!,
                  "Refer to Helpwanted.nl: a pupil can report images there and have them taken offline, also anonymously."],
        ],
        .wellbeing: [
            .nl: ["Zorg dat leerlingen weten waar ze hulp vinden, op school en daarbuiten."],
            .en: ["Make sure pupils know where to find help, at school and outside it."],
        ],
    ]

    static let schoolClosing: [Language: [String]] = [
        .nl: ["Overweeg een brief aan ouders: wat er speelt, hoe ze er thuis over kunnen praten en waar ze hulp vinden.",
              "Lesmateriaal vindt u bij Rutgers (relaties en seksualiteit, ook online) en bij Stichting School & Veiligheid.",
              "Maakt u zich zorgen over een bepaalde leerling, volg dan de meldcode en vraag zo nodig advies aan Veilig Thuis (0800-2000)."],
        .en: ["Consider a letter to parents: what is going on, how to talk about it at home and where to find help.",
              "Lesson material is available from Rutgers (relationships and sexuality, also online) and from Stichting School & Veiligheid.",
              "If you are worried about a particular pupil, follow the reporting code (meldcode) and ask Veilig Thuis for advice if needed (0800-2000)."],
    ]

    // MARK: - For pupils (je-form)

    static let pupilSpecific: [Topic: [Language: [String]]] = [
        .sextortion: [
            .nl: ["Betaal niet. Na een betaling komen er bijna altijd nieuwe eisen.",
                  "Heb je al betaald? Stop dan alsnog en vraag hulp. Het is nooit te laat.",
                  "Maak eerst screenshots van het profiel, de berichten en de betaalverzoeken, en blokkeer de afperser daarna. Verwijder niets.",
                  "Meld het bij Helpwanted.nl (ook anoniem) en bij het platform, en doe aangifte bij de politie."],
            .en: ["Don't pay. After a payment there are almost always new demands.",
                  "Already paid? Stop now anyway and ask for help. It is never too late.",
                  "First take screenshots of the profile, the messages and the payment demands, then block the extorter. Don't delete anything.",
                  "Report it to Helpwanted.nl (also anonymously) and to the platform, and report it to the police."],
        ],
        .grooming: [
            .nl: ["Je hoeft nooit naaktbeelden te sturen, ook niet als iemand aardig doet, aandringt of iets belooft.",
                  "Maak eerst screenshots van de berichten en het profiel, blokkeer zo iemand daarna en meld het bij het platform of bij Helpwanted.nl."],
            .en: ["You never have to send nude images, not even when someone is nice, insists or promises something.",
                  "First take screenshots of the messages and the profile, then block that person and report it to the platform or to Helpwanted.nl."],
        ],
        .imageShared: [
            .nl: ["Stuur naaktbeelden van een ander nooit door: dat is strafbaar en doet diegene veel pijn. Meld het wel.",
                  "Staat er een beeld van jou online? Helpwanted.nl helpt je om het offline te halen, ook anoniem."],
            .en: ["Never forward nude images of someone else: it is a criminal offence and hurts them badly. Do report it.",
                  "Is there an image of you online? Helpwanted.nl helps you take it offline, also anonymously."],
        ],
        .wellbeing: [
            .nl: ["Zit je ergens mee? Bel of chat met de Kindertelefoon (0800-0432), of met 113 Zelfmoordpreventie (0800-0113) als je aan zelfmoord denkt."],
            .en: ["Something on your mind? Call or chat with Kindertelefoon (0800-0432), or with 113 Suicide Prevention (0800-0113) if you are thinking about suicide."],
        ],
    ]

    static let pupilGeneral: [Language: [String]] = [
        .nl: ["Praat erover met iemand die je vertrouwt, thuis of op school. Als iemand je onder druk zet of afperst, is dat nooit jouw schuld."],
        .en: ["Talk to someone you trust, at home or at school. If someone pressures or blackmails you, it is never your fault."],
    ]
}
