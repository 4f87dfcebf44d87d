/// The words of the term overview, in Dutch and English: its title, the
/// period, the legend of the values, and the weeks as a school says them.
/// Pure; the numbers it names are shown values and counts of weeks.
public struct TermReportPage: Sendable {
    public let report: TermReport
    public let taxonomy: Taxonomy
    public let schoolName: String
    public let language: Language
    /// The config's privacy.min_group_size: the "<k" the legend explains
    /// when no week shows one of its own.
    public let k: Int

    public init(_ report: TermReport, taxonomy: Taxonomy, schoolName: String, language: Language, k: Int) {
        self.report = report
        self.taxonomy = taxonomy
        self.schoolName = schoolName
        self.language = language
        self.k = k
    }

    var nl: Bool { language == .nl }

    public var title: String {
        nl ? "Overzicht signalen van online seksuele uitbuiting" : "Overview of signals of online sexual exploitation"
    }

    /// "week 36 van 2026" — with the year, as a period may span two.
    func weekWords(_ label: String) -> String {
        guard let (year, week) = SummaryMessage.isoWeek(label) else { return label }
        return MessageCatalog.words(language).weekShort(week, year)
    }

    /// "week 36 van 2026 t/m week 3 van 2027 (31 augustus 2026 t/m 17 januari 2027)".
    public var period: String {
        guard let first = report.weeks.first, let last = report.weeks.last else { return "" }
        let to = nl ? "t/m" : "to"
        let weeks = first.label == last.label ? weekWords(first.label) : "\(weekWords(first.label)) \(to) \(weekWords(last.label))"
        return "\(weeks) (\(DateText.range(first.first, last.last, language)))"
    }

    var periodLabel: String { nl ? "Periode" : "Period" }
    var schoolLabel: String { nl ? "School" : "School" }

    var purpose: String {
        nl ? "Dit overzicht is samengesteld uit de weekoverzichten die vertrouwd in deze periode aan de vertrouwenspersoon heeft verstuurd. "
            + "Het bevat geen nieuw cijfer: elk getal staat precies zo in het weekoverzicht van die week. "
            + "Het is bedoeld voor de jaarlijkse monitoring van de sociale veiligheid (Wet veiligheid op school)."
            : "This overview is put together from the weekly summaries that vertrouwd sent to the trust contact in this period. "
            + "It holds no new number: each number is exactly as that week's summary showed it. "
            + "It is meant for the school's annual monitoring of social safety (Wet veiligheid op school)."
    }

    /// The "<N" values the table shows, smallest first; the config's k when
    /// it shows none.
    var belowValues: [String] {
        var found = Set<String>()
        for week in report.weeks {
            guard let p = week.published else { continue }
            for value in Array(p.categories?.values ?? [:].values) + [p.total].compactMap({ $0 }) where value.hasPrefix("<") {
                found.insert(value)
            }
        }
        let sorted = found.sorted { (Int($0.dropFirst()) ?? 0) < (Int($1.dropFirst()) ?? 0) }
        return sorted.isEmpty ? ["<\(k)"] : sorted
    }

    var legendHeading: String { nl ? "Hoe u de getallen leest" : "How to read the numbers" }

    /// What each kind of value in the table means.
    var legend: [(term: String, meaning: String)] {
        var items: [(String, String)] = []
        items.append((nl ? "getal" : "number",
                      nl ? "het aantal verschillende leerlingen met een signaal van die soort in die week, afgerond; in een week telt elke leerling één keer."
                         : "the number of different pupils with a signal of that kind in that week, rounded; in a week each pupil counts once."))
        for below in belowValues {
            let n = below.dropFirst()
            items.append(("\u{201C}\(below)\u{201D}",
                          nl ? "minder dan \(n) leerlingen; het precieze aantal is nooit verstuurd, zodat geen leerling aan te wijzen is."
                             : "fewer than \(n) pupils; the exact number was never sent, so that no pupil can be pointed out."))
        }
        items.append(("\u{201C}x\u{201D}", nl ? "weggelaten om een ander aantal te beschermen." : "left out to protect another number."))
        items.append(("\u{201C}\(gapWord)\u{201D}", nl ? "deze soort stond niet in het overzicht van die week." : "this kind was not in that week's summary."))
        items.append((noSummaryWords, nl ? "voor die week is geen weekoverzicht verstuurd (bijvoorbeeld omdat de server uit stond)."
                                         : "no weekly summary was sent for that week (for example because the server was off)."))
        items.append((holidayWord, nl ? "de school was die week grotendeels dicht; weinig signalen zijn dan gewoon."
                                      : "the school was mostly closed that week; few signals are to be expected then."))
        return items
    }

    /// Why there is no total over the period.
    var noSumNote: String {
        nl ? "De weken zijn bewust niet opgeteld. Dezelfde leerling kan in meer weken meetellen, en een som van \u{201C}\(belowValues[0])\u{201D} of \u{201C}x\u{201D} is onbekend. "
            + "Een totaal over de periode is nooit verstuurd en staat daarom ook hier niet."
            : "The weeks are deliberately not added up. The same pupil may count in several weeks, and a sum of \u{201C}\(belowValues[0])\u{201D} or \u{201C}x\u{201D} is unknown. "
            + "A total over the period was never sent, so it is not given here either."
    }

    /// "Weken met een weekoverzicht: 17 van 20 (waarvan vakantieweken: 2). Weken zonder overzicht: 3."
    var weeksLine: String {
        let c = report.weekCounts
        let all = report.weeks.count
        return nl ? "Weken met een weekoverzicht: \(c.published) van \(all) (waarvan vakantieweken: \(c.holiday)). Weken zonder overzicht: \(c.gaps)."
            : "Weeks with a weekly summary: \(c.published) of \(all) (holiday weeks among them: \(c.holiday)). Weeks without a summary: \(c.gaps)."
    }

    var tableHeading: String { nl ? "Leerlingen per soort signaal, per week" : "Pupils by kind of signal, per week" }
    var weekColumn: String { nl ? "Week" : "Week" }
    var datesColumn: String { nl ? "Data" : "Dates" }
    var totalColumn: String { nl ? "Totaal die week" : "Total that week" }
    var alertsHeading: String { nl ? "Meldingen per week" : "Alerts per week" }
    var alertsColumn: String { nl ? "Meldingen" : "Alerts" }
    var alertsIntro: String {
        nl ? "De meldingen zoals het weekoverzicht van die week ze noemde; \u{201C}ten minste\u{201D} is de ondergrens die toen is verstuurd. "
            + "Weken die hier niet staan, hadden geen meldingen of geen overzicht (zie de tabel hierboven)."
            : "The alerts as that week's summary listed them; \u{201C}at least\u{201D} is the lower bound sent then. "
            + "Weeks not listed here had no alerts or no summary (see the table above)."
    }
    var noAlertsInPeriod: String {
        nl ? "Geen van de weekoverzichten in deze periode noemde een melding." : "None of the weekly summaries in this period listed an alert."
    }
    var gapWord: String { "–" }
    var noSummaryWords: String { nl ? "geen overzicht" : "no summary" }
    var unreadableWords: String { nl ? "overzicht onleesbaar" : "summary unreadable" }
    var withheldWords: String {
        nl ? "tabel weggelaten: de aantallen hadden een leerling kunnen aanwijzen" : "table left out: the numbers could have pointed to a pupil"
    }
    var holidayWord: String { nl ? "vakantie" : "holiday" }
    var footer: String { "\(schoolName) · vertrouwd" }

    func categoryLabel(_ key: String) -> String {
        key.isEmpty ? (nl ? "onbekend" : "unknown") : taxonomy.label(key, in: language)
    }

    /// An alert line in the words of the weekly summary ("Afpersing —
    /// de hele school — vrijdag 27 november 2026: ten minste 5 leerlingen").
    func alertText(_ alert: SummaryContent.AlertLine, of week: TermReport.Week) -> String {
        let content = SummaryContent(id: "", week: week.label, first: week.first, last: week.last, tables: [], trend: [],
                                     alerts: [alert])
        return SummaryMessage(content, taxonomy: taxonomy, schoolName: schoolName, language: language, k: k).alertLineText(alert)
    }
}
