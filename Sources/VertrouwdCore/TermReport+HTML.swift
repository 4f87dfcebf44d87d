/// The term overview as one printable HTML page: a header (school, period,
/// what the values mean), one table of weeks × categories, and the alerts
/// of each week. Print CSS lays it out on A4 (landscape, for the columns),
/// repeats the table's head on every page, keeps a week's row whole and
/// starts the alerts on a page of their own. Pure and deterministic: the
/// same stored summaries give the same bytes.
extension TermReportPage {
    static let style = """
        @page { size: A4 landscape; margin: 12mm 12mm 14mm 12mm; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0; font-family: Arial, Helvetica, sans-serif; font-size: 10pt; color: #1a1a1a; line-height: 1.35; }
        @media screen { body { max-width: 273mm; margin: 16px auto; padding: 0 16px; } }
        h1 { font-size: 17pt; margin: 0 0 6pt 0; color: #1f4e79; }
        h2 { font-size: 12.5pt; margin: 14pt 0 6pt 0; color: #1f4e79; break-after: avoid; page-break-after: avoid; }
        p { margin: 0 0 6pt 0; }
        .meta { margin: 0 0 8pt 0; }
        .legend { break-inside: avoid; page-break-inside: avoid; }
        dl { display: grid; grid-template-columns: max-content auto; column-gap: 10pt; row-gap: 2pt; margin: 0 0 6pt 0; }
        dt { font-weight: bold; }
        dd { margin: 0; }
        table { border-collapse: collapse; width: 100%; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        th, td { border: 1px solid #b0b0b0; padding: 2pt 5pt; vertical-align: top; }
        thead th { background: #e8eef5; text-align: left; font-size: 9pt; }
        tbody th { text-align: left; font-weight: bold; white-space: nowrap; }
        .dates { display: block; font-weight: normal; font-size: 8pt; color: #555555; }
        td.n { text-align: right; white-space: nowrap; }
        td.total { font-weight: bold; }
        tr.gap td, tr.unreadable td { color: #555555; background: #f2f2f2; font-style: italic; }
        tr.holiday th, tr.holiday td { background: #fbf4dc; }
        .tag { display: inline-block; margin-top: 2pt; padding: 0 4pt; border: 1px solid #b08900; font-size: 8pt; font-weight: normal; }
        .alerts { break-before: page; page-break-before: always; }
        .alerts ul { margin: 0; padding-left: 14pt; }
        .alerts li { break-inside: avoid; page-break-inside: avoid; }
        .note { font-size: 9pt; }
        footer { margin-top: 12pt; font-size: 8.5pt; color: #555555; }
        """

    /// The whole page.
    public var html: String {
        let e = HTMLEscape.text
        var h = "<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">\n"
        h += "<title>\(e(title)) · \(e(schoolName)) · \(e(period))</title>\n"
        h += "<style>\n\(Self.style)\n</style></head>\n<body>\n"
        h += "<header>\n<h1>\(e(title))</h1>\n"
        h += "<p class=\"meta\"><strong>\(e(schoolLabel)):</strong> \(e(schoolName))<br>"
        h += "<strong>\(e(periodLabel)):</strong> \(e(period))</p>\n"
        h += "<p>\(e(purpose))</p>\n<p>\(e(weeksLine))</p>\n</header>\n"
        h += legendHTML
        h += weeksTableHTML
        h += alertsHTML
        h += "<footer>\(e(footer))</footer>\n</body></html>\n"
        return h
    }

    var legendHTML: String {
        let e = HTMLEscape.text
        var h = "<section class=\"legend\">\n<h2>\(e(legendHeading))</h2>\n<dl>\n"
        for item in legend {
            h += "<dt>\(e(item.term))</dt><dd>\(e(item.meaning))</dd>\n"
        }
        h += "</dl>\n<p class=\"note\">\(e(noSumNote))</p>\n</section>\n"
        return h
    }

    /// The week's cell in both tables: its number, its dates, and a
    /// holiday mark when its summary said so.
    func weekCell(_ week: TermReport.Week) -> String {
        let e = HTMLEscape.text
        var h = "<th scope=\"row\">\(e(weekWords(week.label)))"
        h += "<span class=\"dates\">\(e(DateText.range(week.first, week.last, language)))</span>"
        if week.published?.holiday == true { h += "<span class=\"tag\">\(e(holidayWord))</span>" }
        return h + "</th>"
    }

    var weeksTableHTML: String {
        let e = HTMLEscape.text
        let columns = report.categoryColumns(taxonomy)
        var h = "<section class=\"weeks\">\n<h2>\(e(tableHeading))</h2>\n<table>\n<thead><tr><th>\(e(weekColumn))</th>"
        for key in columns { h += "<th>\(e(categoryLabel(key)))</th>" }
        h += "<th>\(e(totalColumn))</th></tr></thead>\n<tbody>\n"
        for week in report.weeks {
            switch week.state {
            case .missing, .unreadable:
                let unreadable = week.state == .unreadable
                h += "<tr class=\"\(unreadable ? "unreadable" : "gap")\">\(weekCell(week))"
                h += "<td colspan=\"\(columns.count + 1)\">\(e(unreadable ? unreadableWords : noSummaryWords))</td></tr>\n"
            case .published(let p):
                h += "<tr\(p.holiday ? " class=\"holiday\"" : "")>\(weekCell(week))"
                if let categories = p.categories {
                    for key in columns { h += "<td class=\"n\">\(e(categories[key] ?? gapWord))</td>" }
                } else if !columns.isEmpty {
                    h += "<td colspan=\"\(columns.count)\" class=\"note\">\(e(withheldWords))</td>"
                }
                h += "<td class=\"n total\">\(e(p.total ?? gapWord))</td></tr>\n"
            }
        }
        h += "</tbody>\n</table>\n</section>\n"
        return h
    }

    /// The weeks that had alerts, each with its lines; weeks without
    /// alerts and gaps are in the weeks table already.
    var alertsHTML: String {
        let e = HTMLEscape.text
        var h = "<section class=\"alerts\">\n<h2>\(e(alertsHeading))</h2>\n"
        let weeks = report.weeks.filter { !($0.published?.alerts.isEmpty ?? true) }
        guard !weeks.isEmpty else { return h + "<p>\(e(noAlertsInPeriod))</p>\n</section>\n" }
        h += "<p>\(e(alertsIntro))</p>\n<table>\n"
        h += "<thead><tr><th>\(e(weekColumn))</th><th>\(e(alertsColumn))</th></tr></thead>\n<tbody>\n"
        for week in weeks {
            h += "<tr\(week.published?.holiday == true ? " class=\"holiday\"" : "")>\(weekCell(week))<td><ul>\n"
            for alert in week.published?.alerts ?? [] { h += "<li>\(e(alertText(alert, of: week)))</li>\n" }
            h += "</ul></td></tr>\n"
        }
        h += "</tbody>\n</table>\n</section>\n"
        return h
    }
}
