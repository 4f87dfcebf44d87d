/// Every sentence vertrouwd writes to the trust contact, in Dutch and
/// English. Dutch is the default language. Counts are numbers of different
/// pupils ("ten minste 5 leerlingen"), never of signals. The advice itself
/// is in MessageCatalog+Advice.swift.
public enum MessageCatalog {
    /// The words of one language.
    public struct Words: Sendable {
        /// "vertrouwd: <what> – <where> – <when>": names the alert, never a count.
        public var alertSubject: @Sendable (String, String, String) -> String
        /// The window in a subject: "week 48 van 2026".
        public var weekShort: @Sendable (Int, Int) -> String
        public var escalationNote: String
        public var what: String
        public var whereLabel: String
        public var when: String
        public var howMany: String
        public var severityLabel: String
        public var ruleLabel: String
        public var atLeast: @Sendable (Int) -> String
        /// Signals and pupils, for a rule with `count = "signals"`.
        public var atLeastSignals: @Sendable (Int, Int) -> String
        /// For rise alerts: "at least 2× the mean of the previous 6 weeks".
        public var riseNote: @Sendable (Double, Int) -> String
        public var wholeSchool: String
        public var unknown: String
        public var severities: [Severity: String]
        public var weekOf: @Sendable (Int, Int, String) -> String
        public var schoolAdviceHeading: String
        public var pupilAdviceHeading: String
        /// After the first three categories of a long list: "e.a.".
        public var andOthers: String
        public var helpHeading: String
        public var footer: @Sendable (Int) -> String
        /// The footer of an alert that also shows signals (`count = "signals"`).
        public var footerSignals: @Sendable (Int) -> String
        public var dimensions: [Dimension: String]
    }

    public static func words(_ language: Language) -> Words {
        language == .nl ? nl : en
    }

    static let nl = Words(
        alertSubject: { what, place, when in "vertrouwd: \(what) – \(place) – \(when)" },
        weekShort: { week, year in "week \(week) van \(year)" },
        escalationNote: "Vervolgmelding: het aantal leerlingen in deze groep is sinds de vorige melding gestegen tot een hogere drempel.",
        what: "Wat", whereLabel: "Waar", when: "Wanneer", howMany: "Hoeveel",
        severityLabel: "Ernst", ruleLabel: "Regel",
        atLeast: { "ten minste \($0) leerlingen" },
        atLeastSignals: { "ten minste \($0) signalen, van ten minste \($1) leerlingen (één leerling kan meer signalen geven)" },
        riseNote: { factor, weeks in "ten minste \(MessageCatalog.factorText(factor, .nl))× het gemiddelde van de \(weeks) schoolweken ervoor, volgens hun weekoverzichten" },
        wholeSchool: "de hele school",
        unknown: "onbekend",
        severities: [.low: "laag", .medium: "middel", .high: "hoog"],
        weekOf: { week, year, range in "week \(week) van \(year) (\(range))" },
        schoolAdviceHeading: "Wat u als school kunt doen",
        pupilAdviceHeading: "Wat u leerlingen kunt meegeven",
        andOthers: "e.a.",
        helpHeading: "Hulp en advies",
        footer: { k in
            "De aantallen in deze melding zijn aantallen verschillende leerlingen; een aantal onder \(k) wordt nooit getoond. "
                + "De melding kan geen leerling aanwijzen: vertrouwd kent geen namen, berichten of tijdstippen."
        },
        footerSignals: { k in
            "Het aantal signalen telt elk signaal; de aantallen leerlingen zijn aantallen verschillende leerlingen, en een aantal onder \(k) wordt nooit getoond. "
                + "De melding kan geen leerling aanwijzen: vertrouwd kent geen namen, berichten of tijdstippen."
        },
        dimensions: [.site: "locatie", .cohort: "klas", .cohortGroup: "afdeling", .channel: "kanaal",
                     .channelGroup: "soort kanaal", .category: "soort signaal"]
    )

    static let en = Words(
        alertSubject: { what, place, when in "vertrouwd: \(what) – \(place) – \(when)" },
        weekShort: { week, year in "week \(week) of \(year)" },
        escalationNote: "Follow-up: since the previous alert, the number of pupils in this group has risen to a higher threshold.",
        what: "What", whereLabel: "Where", when: "When", howMany: "How many",
        severityLabel: "Severity", ruleLabel: "Rule",
        atLeast: { "at least \($0) pupils" },
        atLeastSignals: { "at least \($0) signals, from at least \($1) pupils (one pupil can send several)" },
        riseNote: { factor, weeks in "at least \(MessageCatalog.factorText(factor, .en))× the mean of the previous \(weeks) school weeks, as their summaries showed them" },
        wholeSchool: "the whole school",
        unknown: "unknown",
        severities: [.low: "low", .medium: "medium", .high: "high"],
        weekOf: { week, year, range in "week \(week) of \(year) (\(range))" },
        schoolAdviceHeading: "What you can do as a school",
        pupilAdviceHeading: "What you can tell pupils",
        andOthers: "etc.",
        helpHeading: "Help and advice",
        footer: { k in
            "The numbers in this alert are numbers of different pupils; a number below \(k) is never shown. "
                + "The alert cannot point to a pupil: vertrouwd knows no names, messages or times."
        },
        footerSignals: { k in
            "The number of signals counts every signal; the numbers of pupils are numbers of different pupils, and a number below \(k) is never shown. "
                + "The alert cannot point to a pupil: vertrouwd knows no names, messages or times."
        },
        dimensions: [.site: "site", .cohort: "class", .cohortGroup: "school section", .channel: "channel",
                     .channelGroup: "kind of channel", .category: "kind of signal"]
    )

    /// "2", "2,5" (nl) or "2.5" (en).
    static func factorText(_ factor: Double, _ language: Language) -> String {
        let text = factor == factor.rounded() ? String(Int(factor)) : String(factor)
        return language == .nl ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// Where help is, for the trust contact and for pupils: the school's own
    /// contacts (`[[advice.contact]]`) first, then the shipped list with the
    /// school's corrections (`[advice.nl]`, `[advice.en]`).
    public static func help(_ language: Language, _ settings: AdviceSettings = AdviceSettings()) -> [String] {
        settings.contacts.map(\.text) + helpLines.compactMap { text(of: $0, language, settings) }
    }

    static let helpLines: [Line] = [
        Line(id: "help-helpwanted",
             nl: "Helpwanted.nl (Offlimits): hulp bij online seksueel misbruik en sextortion, ook anoniem, en bij het verwijderen van beelden.",
             en: "Helpwanted.nl (Offlimits): help with online sexual abuse and sextortion, also anonymously, and with removing images."),
        Line(id: "help-police", nl: "Politie: 0900-8844, bij direct gevaar 112.", en: "Police: 0900-8844, in an emergency 112."),
        Line(id: "help-veilig-thuis", nl: "Veilig Thuis: 0800-2000, advies en meldingen (meldcode).",
             en: "Veilig Thuis: 0800-2000, advice and reports (meldcode)."),
        Line(id: "help-kindertelefoon", nl: "Kindertelefoon: 0800-0432, voor leerlingen zelf.",
             en: "Kindertelefoon: 0800-0432, for pupils themselves."),
    ]
}
