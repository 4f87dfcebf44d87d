/// Every sentence vertrouwd writes to the trust contact, in Dutch and
/// English. Dutch is the default language; wording follows the Dutch advice
/// to victims of sextortion: block, don't pay, keep evidence, report, talk.
public enum MessageCatalog {
    /// The words of one language.
    public struct Words: Sendable {
        public var alertSubject: String
        public var escalationNote: String
        public var what: String
        public var whereLabel: String
        public var when: String
        public var howMany: String
        public var severityLabel: String
        public var ruleLabel: String
        public var atLeast: @Sendable (Int) -> String
        /// For rise alerts: "at least 2× the mean of the previous 6 weeks".
        public var riseNote: @Sendable (Double, Int) -> String
        public var wholeSchool: String
        public var unknown: String
        public var severities: [Severity: String]
        public var weekOf: @Sendable (Int, Int, String) -> String
        public var adviceHeading: String
        public var helpHeading: String
        public var footer: @Sendable (Int) -> String
        public var dimensions: [Dimension: String]
    }

    public static func words(_ language: Language) -> Words {
        language == .nl ? nl : en
    }

    static let nl = Words(
        alertSubject: "vertrouwd: nieuwe melding",
        escalationNote: "Het aantal is verdubbeld sinds de vorige melding over deze groep.",
        what: "Wat", whereLabel: "Waar", when: "Wanneer", howMany: "Hoeveel",
        severityLabel: "Ernst", ruleLabel: "Regel",
        atLeast: { "ten minste \($0) signalen" },
        riseNote: { factor, weeks in "ten minste \(MessageCatalog.factorText(factor, .nl))× het gemiddelde van de \(weeks) weken ervoor" },
        wholeSchool: "de hele school",
        unknown: "onbekend",
        severities: [.low: "laag", .medium: "middel", .high: "hoog"],
        weekOf: { week, year, range in "week \(week) van \(year) (\(range))" },
        adviceHeading: "Wat u kunt doen",
        helpHeading: "Hulp en advies",
        footer: { k in
            "Deze melding telt signalen van groepen leerlingen (nooit minder dan \(k)) en kan geen leerling aanwijzen: "
                + "vertrouwd kent geen namen, berichten of tijdstippen."
        },
        dimensions: [.site: "locatie", .cohort: "klas", .cohortGroup: "afdeling", .channel: "kanaal",
                     .channelGroup: "soort kanaal", .category: "soort signaal"]
    )

    static let en = Words(
        alertSubject: "vertrouwd: new alert",
        escalationNote: "The number has doubled since the previous alert about this group.",
        what: "What", whereLabel: "Where", when: "When", howMany: "How many",
        severityLabel: "Severity", ruleLabel: "Rule",
        atLeast: { "at least \($0) signals" },
        riseNote: { factor, weeks in "at least \(MessageCatalog.factorText(factor, .en))× the mean of the previous \(weeks) weeks" },
        wholeSchool: "the whole school",
        unknown: "unknown",
        severities: [.low: "low", .medium: "medium", .high: "high"],
        weekOf: { week, year, range in "week \(week) of \(year) (\(range))" },
        adviceHeading: "What you can do",
        helpHeading: "Help and advice",
        footer: { k in
            "This alert counts signals from groups of pupils (never fewer than \(k)) and cannot point to a pupil: "
                + "vertrouwd knows no names, messages or times."
        },
        dimensions: [.site: "site", .cohort: "class", .cohortGroup: "school section", .channel: "channel",
                     .channelGroup: "kind of channel", .category: "kind of signal"]
    )

    /// "2", "2,5" (nl) or "2.5" (en).
    static func factorText(_ factor: Double, _ language: Language) -> String {
        let text = factor == factor.rounded() ? String(Int(factor)) : String(factor)
        return language == .nl ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// What kind of advice fits a category.
    public enum Topic: CaseIterable, Sendable {
        case sextortion, grooming, imageShared, wellbeing
    }

    public static func topic(of category: String) -> Topic {
        if category.hasPrefix("sextortion") { return .sextortion }
        if category == "image.shared" { return .imageShared }
        if category == "help_seeking" || category == "distress" { return .wellbeing }
        return .grooming
    }

    /// Advice for the topics of an alert, general advice first.
    public static func advice(for topics: [Topic], _ language: Language) -> [String] {
        var lines = [general[language]!]
        for topic in Topic.allCases where topics.contains(topic) {
            lines += specific[topic]![language]!
        }
        lines.append(meldcode[language]!)
        return lines
    }

    static let general: [Language: String] = [
        .nl: "Bespreek dit met leerlingen als groep, bijvoorbeeld in de mentorles, zonder iemand aan te wijzen, en laat weten bij wie ze terechtkunnen.",
        .en: "Talk about this with pupils as a group, for instance in a mentor lesson, without singling anyone out, and tell them who they can turn to.",
    ]

    static let specific: [Topic: [Language: [String]]] = [
        .sextortion: [
            .nl: ["Zeg het duidelijk: betaal niet; betalen maakt het bijna nooit af.",
                  "Stop het contact en blokkeer de afperser, maar verwijder niets: maak screenshots van het profiel, de berichten en de betaalverzoeken als bewijs.",
                  "Doe aangifte bij de politie en meld het profiel bij het platform.",
                  "Praat erover met iemand die je vertrouwt: het is nooit de schuld van het slachtoffer."],
            .en: ["Say it plainly: don't pay; paying almost never ends it.",
                  "Stop contact and block the extorter, but delete nothing: take screenshots of the profile, the messages and the payment demands as evidence.",
                  "Report it to the police and report the profile to the platform.",
                  "Talk to someone you trust: it is never the victim's fault."],
        ],
        .grooming: [
            .nl: ["Leg uit hoe iemand online vertrouwen opbouwt en daarna om beelden vraagt, en dat je nooit naaktbeelden hoeft te sturen.",
                  "Blokkeer en meld zulke contacten, en bewaar de berichten als bewijs."],
            .en: ["Explain how someone builds trust online and then asks for images, and that nobody ever has to send nude images.",
                  "Block and report such contacts, and keep the messages as evidence."],
        ],
        .imageShared: [
            .nl: ["Zeg dat doorsturen van naaktbeelden van minderjarigen strafbaar is en slachtoffers ernstig schaadt: niet doorsturen, wel melden.",
                  "Beelden kunnen offline worden gehaald: Helpwanted.nl helpt daarbij."],
            .en: ["Make clear that forwarding nude images of minors is a criminal offence and deeply harms victims: don't forward, do report.",
                  "Images can be taken offline: Helpwanted.nl helps with that."],
        ],
        .wellbeing: [
            .nl: ["Zorg dat leerlingen weten waar ze hulp vinden, op school en daarbuiten (Kindertelefoon 0800-0432; 113 Zelfmoordpreventie 0800-0113)."],
            .en: ["Make sure pupils know where to find help, at school and outside it (Kindertelefoon 0800-0432; 113 Suicide Prevention 0800-0113)."],
        ],
    ]

    static let meldcode: [Language: String] = [
        .nl: "Maakt u zich zorgen over een bepaalde leerling, volg dan de meldcode en vraag zo nodig advies aan Veilig Thuis (0800-2000).",
        .en: "If you are worried about a particular pupil, follow the reporting code (meldcode) and ask Veilig Thuis for advice if needed (0800-2000).",
    ]

    /// Where help is, for the trust contact and for pupils.
    public static func help(_ language: Language) -> [String] {
        language == .nl ? [
            "Helpwanted.nl (Offlimits): hulp bij online seksueel misbruik en sextortion, ook anoniem, en bij het verwijderen van beelden.",
            "Politie: 0900-8844, bij direct gevaar 112.",
            "Veilig Thuis: 0800-2000, advies en meldingen (meldcode).",
            "Kindertelefoon: 0800-0432, voor leerlingen zelf.",
        ] : [
            "Helpwanted.nl (Offlimits): help with online sexual abuse and sextortion, also anonymously, and with removing images.",
            "Police: 0900-8844, in an emergency 112.",
            "Veilig Thuis: 0800-2000, advice and reports (meldcode).",
            "Kindertelefoon: 0800-0432, for pupils themselves.",
        ]
    }
}
