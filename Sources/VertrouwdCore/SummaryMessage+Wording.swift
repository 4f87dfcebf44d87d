/// The wording of a weekly summary that is not a table: alert lines in the
/// school's words, and the trend's bars drawn so that Outlook shows them.
extension SummaryMessage {
    /// An alert line's window as the school says it: "vrijdag 27 november
    /// 2026" for a day, "week 48" for a week; anything else as given.
    func windowText(_ window: String) -> String {
        let parts = window.split(separator: "-")
        if parts.count == 2, parts[1].hasPrefix("W"), let week = Int(parts[1].dropFirst()) {
            return "week \(week)"
        }
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return window }
        // Sakamoto's day of the week (0 = Sunday), as ISO (1 = Monday … 7 = Sunday).
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let year = m < 3 ? y - 1 : y
        let sunday0 = (year + year / 4 - year / 100 + year / 400 + offsets[m - 1] + d) % 7
        return DateText.long(DateText.Day(year: y, month: m, day: d, weekday: sunday0 == 0 ? 7 : sunday0), language)
    }

    /// "vrijdag 27 november 2026: ten minste 5 leerlingen (regel sextortion-acuut)".
    func alertLineText(_ a: SummaryContent.AlertLine) -> String {
        "\(windowText(a.window)): \(atLeastText(a.atLeast)) (\(nl ? "regel" : "rule") \(a.rule))"
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
