/// The wording of a weekly summary that is not a table: alert lines in the
/// school's words (what, where, when — no rule ids, no ISO dates), weeks as
/// the school says them, and the trend's bars drawn so that Outlook shows
/// them.
extension SummaryMessage {
    /// An alert line's window as the school says it: "vrijdag 27 november
    /// 2026" for a day, "week 48 (23 t/m 29 november 2026)" for this week;
    /// anything else as given.
    func windowText(_ window: String) -> String {
        if Self.isoWeek(window) != nil {
            let week = weekWords(window)
            return window == content.week ? "\(week) (\(DateText.range(content.first, content.last, language)))" : week
        }
        let parts = window.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return window }
        // Sakamoto's day of the week (0 = Sunday), as ISO (1 = Monday … 7 = Sunday).
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let year = m < 3 ? y - 1 : y
        let sunday0 = (year + year / 4 - year / 100 + year / 400 + offsets[m - 1] + d) % 7
        return DateText.long(DateText.Day(year: y, month: m, day: d, weekday: sunday0 == 0 ? 7 : sunday0), language)
    }

    /// "week 47", or "week 52 van 2025" for a week of another year than
    /// the summary's.
    func weekWords(_ label: String) -> String {
        guard let (year, week) = Self.isoWeek(label) else { return label }
        if let (thisYear, _) = Self.isoWeek(content.week), thisYear != year {
            return MessageCatalog.words(language).weekShort(week, year)
        }
        return "week \(week)"
    }

    /// A trend week without a published summary.
    var noSummaryWords: String { nl ? "geen overzicht" : "no summary" }

    /// What an alert was about: the categories' labels (more than three end
    /// in "e.a."), or the rule's name when the line does not say.
    func alertWhat(_ a: SummaryContent.AlertLine) -> String {
        guard !a.categories.isEmpty else { return (nl ? "regel " : "rule ") + a.rule }
        let labels = a.categories.map { taxonomy.label($0, in: language) }
        let words = MessageCatalog.words(language)
        return labels.count > 3 ? labels.prefix(3).joined(separator: ", ") + " " + words.andOthers : labels.joined(separator: ", ")
    }

    /// Where: the group's labels, "de hele school" for none; an unknown
    /// value says which dimension is unknown ("locatie onbekend").
    func alertWhere(_ a: SummaryContent.AlertLine) -> String {
        let words = MessageCatalog.words(language)
        let parts = a.group.parts.filter { $0.dimension != .category }.map { part -> String in
            let value = part.value.rowText
            return value.isEmpty ? "\(words.dimensions[part.dimension]!) \(words.unknown)" : taxonomy.label(value, in: language)
        }
        return parts.isEmpty ? words.wholeSchool : parts.joined(separator: ", ")
    }

    /// "Afpersing: betaalverzoek — de hele school — vrijdag 27 november
    /// 2026: ten minste 5 leerlingen", in the order of an alert's subject.
    func alertLineText(_ a: SummaryContent.AlertLine) -> String {
        "\(alertWhat(a)) — \(alertWhere(a)) — \(windowText(a.window)): \(atLeastText(a.atLeast))"
    }

    /// A bar as a table cell with `width` and `bgcolor`, which Outlook
    /// (Word's renderer) draws; it ignores the size of an empty `div`.
    static func bar(width: Int) -> String {
        "<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;\"><tr>"
            + "<td width=\"\(width)\" height=\"12\" bgcolor=\"#1f4e79\" style=\"width:\(width)px;height:12px;background:#1f4e79;font-size:1px;line-height:1px;\">&nbsp;</td>"
            + "</tr></table>"
    }

    /// "Vakantieweek: …" for a week that was mostly school holiday, so that
    /// its low numbers are not read as a quiet school week (s6-calendar).
    var holidayNote: String? {
        guard content.holidayWeek else { return nil }
        return nl ? "Vakantieweek: de school was deze week grotendeels dicht, dus weinig signalen zijn gewoon."
            : "Holiday week: the school was mostly closed this week, so few signals are to be expected."
    }
}
