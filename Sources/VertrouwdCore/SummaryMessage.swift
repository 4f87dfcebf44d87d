/// What a weekly summary says, with every number already published: "<k"
/// or a rounded count ≥ k (P4, P5), chosen by the privacy rules before it
/// gets here. The renderer never sees a true count.
public struct SummaryContent: Hashable, Sendable {
    public struct Table: Hashable, Sendable {
        /// "category", "channel_group", "site", "cohort_group"
        public var name: String
        /// Vocabulary value ("" for unknown) and its published value.
        public var rows: [Row]
        public var total: String

        public init(name: String, rows: [Row], total: String) {
            self.name = name
            self.rows = rows
            self.total = total
        }
    }

    public struct Row: Hashable, Sendable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// One week of the trend, oldest first, this week last.
    public struct TrendPoint: Hashable, Sendable {
        /// "2026-W41"
        public var week: String
        /// The published total of that week, from its frozen summary; nil
        /// when no summary of that week was published (a gap).
        public var total: String?
        /// The category table as that week's frozen summary showed it
        /// (category → "<5", "15", "x"); nil when that week has no summary
        /// or its summary did not show the table. Never recomputed: an
        /// earlier week's number is exactly what was published then.
        public var categories: [String: String]?
        public init(week: String, total: String?, categories: [String: String]? = nil) {
            self.week = week
            self.total = total
            self.categories = categories
        }
    }

    /// An alert of the week, as the summary lists it: what, where, when and
    /// its band.
    public struct AlertLine: Hashable, Sendable {
        public var rule: String
        /// "2026-11-29" or "2026-W48"
        public var window: String
        public var atLeast: Int
        /// The categories the alert is about: its group's category, or the
        /// rule's categories; [] when not known (then the rule is named).
        public var categories: [String]
        /// The alert's group (its category part included).
        public var group: GroupKey
        public init(rule: String, window: String, atLeast: Int, categories: [String] = [], group: GroupKey = .wholeSchool) {
            self.rule = rule
            self.window = window
            self.atLeast = atLeast
            self.categories = categories
            self.group = group
        }
    }

    public var id: String
    /// "2026-W48"
    public var week: String
    public var first: DateText.Day
    public var last: DateText.Day
    public var tables: [Table]
    public var trend: [TrendPoint]
    public var alerts: [AlertLine]
    /// Tables left out whole: publishing any of their cells could single
    /// out a pupil.
    public var withheldTables: [String]
    /// The week was mostly school holiday (`[calendar]`): few signals are
    /// expected, and the summary says so rather than look like a quiet
    /// week (issue 15 §2, s6-calendar).
    public var holidayWeek = false

    public init(id: String, week: String, first: DateText.Day, last: DateText.Day, tables: [Table],
                trend: [TrendPoint], alerts: [AlertLine], withheldTables: [String] = []) {
        self.id = id
        self.week = week
        self.first = first
        self.last = last
        self.tables = tables
        self.trend = trend
        self.alerts = alerts
        self.withheldTables = withheldTables
    }
}

/// Renders a weekly summary: plain text (a sparkline for the trend), HTML
/// (inline CSS, bars) and the socket JSON of DESIGN §7. Pure and
/// deterministic: a published week re-renders to the same bytes (P7).
///
/// What it says about earlier weeks (the previous-week column, the trend,
/// "wat valt op") it takes from `SummaryContent.trend`, which holds what
/// those weeks' frozen summaries showed: it computes no number, it only
/// compares shown ones.
public struct SummaryMessage: Sendable {
    public let content: SummaryContent
    public let taxonomy: Taxonomy
    public let schoolName: String
    public let language: Language
    public let k: Int
    /// The school's contacts and corrections for the help section.
    public let adviceSettings: AdviceSettings

    public init(_ content: SummaryContent, taxonomy: Taxonomy, schoolName: String, language: Language, k: Int,
                advice: AdviceSettings = AdviceSettings()) {
        self.content = content
        self.taxonomy = taxonomy
        self.schoolName = schoolName
        self.language = language
        self.k = k
        self.adviceSettings = advice
    }

    var nl: Bool { language == .nl }

    /// The week, so that summaries do not fold into one thread: "vertrouwd:
    /// weekoverzicht week 48 van 2026". Never a count (mail logs see subjects).
    public var subject: String {
        guard let (year, week) = Self.isoWeek(content.week) else {
            return nl ? "vertrouwd: weekoverzicht \(content.week)" : "vertrouwd: weekly summary \(content.week)"
        }
        return nl ? "vertrouwd: weekoverzicht week \(week) van \(year)" : "vertrouwd: weekly summary week \(week) of \(year)"
    }

    /// "2026-W48" → (2026, 48).
    static func isoWeek(_ label: String) -> (Int, Int)? {
        let parts = label.split(separator: "-W")
        guard parts.count == 2, let year = Int(parts[0]), let week = Int(parts[1]) else { return nil }
        return (year, week)
    }

    /// "Weekoverzicht week 48 van 2026 (23 t/m 29 november 2026)".
    public var title: String {
        let range = DateText.range(content.first, content.last, language)
        guard let (year, week) = Self.isoWeek(content.week) else {
            return nl ? "Weekoverzicht \(content.week) (\(range))" : "Weekly summary \(content.week) (\(range))"
        }
        return nl ? "Weekoverzicht week \(week) van \(year) (\(range))" : "Weekly summary week \(week) of \(year) (\(range))"
    }

    func tableTitle(_ name: String) -> String {
        let titles: [String: (String, String)] = [
            "category": ("Soort signaal", "Kind of signal"), "channel_group": ("Soort kanaal", "Kind of channel"),
            "channel": ("Kanaal", "Channel"), "site": ("Locatie", "Site"),
            "cohort_group": ("Afdeling", "School section"), "cohort": ("Klas", "Class"),
        ]
        let pair = titles[name] ?? (name, name)
        return nl ? pair.0 : pair.1
    }

    /// A table's heading says what its numbers count: "Leerlingen per locatie".
    func tableHeading(_ name: String) -> String {
        let title = tableTitle(name).lowercased()
        return nl ? "Leerlingen per \(title)" : "Pupils by \(title)"
    }

    var trendHeading: String { nl ? "Verloop (leerlingen per week)" : "Trend (pupils per week)" }

    func atLeastText(_ n: Int) -> String { nl ? "ten minste \(n) leerlingen" : "at least \(n) pupils" }

    func keyLabel(_ key: String) -> String {
        key.isEmpty ? (nl ? "onbekend" : "unknown") : taxonomy.label(key, in: language)
    }

    var totalWord: String { nl ? "Totaal" : "Total" }

    /// A number for drawing; "<k" (and "x", a gap) draws as zero.
    static func magnitude(_ value: String?) -> Int { value.flatMap { Int($0) } ?? 0 }

    /// ▁▂▃▄▅▆▇█ scaled to the largest published total; a week without a
    /// summary is a gap ("·").
    public var sparkline: String {
        Self.sparkline(content.trend.map(\.total), top: content.trend.map { Self.magnitude($0.total) }.max() ?? 0)
    }

    /// One character per value: a bar scaled to `top`, "x" for a withheld
    /// value, "·" for a gap.
    static func sparkline(_ values: [String?], top: Int) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        let top = max(top, 1)
        return String(values.map { value -> Character in
            guard let value else { return "·" }
            if value == PublishedValue.withheldText { return "x" }
            return bars[min(bars.count - 1, magnitude(value) * (bars.count - 1) / top)]
        })
    }

    /// An earlier week without a published number, in the trend and the
    /// previous-week column.
    var gapWord: String { "–" }

    var footer: String {
        nl ? "De aantallen in de tabellen, het verloop en de meldingen zijn aantallen verschillende leerlingen; in een tabel telt elke leerling één keer. "
            + "Aantallen onder \(k) staan als \"<\(k)\", andere zijn afgerond; totalen zijn afgerond uit de werkelijke som; \"x\" is weggelaten om een ander aantal te beschermen. "
            + "De cijfers van eerdere weken zijn die uit de overzichten van toen; \"–\" betekent dat er voor die week geen cijfer is verstuurd. "
            + "Dit overzicht kan geen leerling aanwijzen."
            : "The numbers in the tables, the trend and the alerts are numbers of different pupils; in a table each pupil counts once. "
            + "Counts below \(k) show as \"<\(k)\", others are rounded; totals are rounded from the true sum; \"x\" is left out to protect another count. "
            + "Numbers of earlier weeks are those of the summaries sent then; \"–\" means no number was sent for that week. "
            + "This summary cannot point to a pupil."
    }

    var withheldNote: String? {
        guard !content.withheldTables.isEmpty else { return nil }
        let names = content.withheldTables.map(tableTitle).joined(separator: ", ")
        return nl ? "Weggelaten deze week, omdat de aantallen een leerling zouden kunnen aanwijzen: \(names)."
            : "Left out this week because the numbers could point to a pupil: \(names)."
    }

    var alertsHeading: String { nl ? "Meldingen deze week" : "Alerts this week" }
    var noneWord: String { nl ? "geen" : "none" }

    func padded(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }

    public var text: String {
        var lines = [title, ""]
        if let note = holidayNote { lines += [note, ""] }
        if let remark = standsOut { lines += [remark, ""] }
        for table in content.tables {
            lines.append(tableHeading(table.name))
            let width = max((table.rows.map { keyLabel($0.key).count } + [totalWord.count]).max()!, 8) + 2
            if table.name == "category", hasHistory {
                lines += categoryTableText(table, labelWidth: width)
            } else {
                for row in table.rows {
                    lines.append("  " + padded(keyLabel(row.key), width) + row.value)
                }
                lines.append("  " + padded(totalWord, width) + table.total)
            }
            lines.append("")
        }
        if let note = withheldNote { lines += [note, ""] }
        if content.trend.count > 1 {
            lines.append(trendHeading)
            lines.append("  \(weekWords(content.trend.first!.week)) \(sparkline) \(weekWords(content.trend.last!.week))")
            lines.append("  " + content.trend.map { $0.total ?? gapWord }.joined(separator: " "))
            lines.append("")
        }
        lines.append(alertsHeading)
        if content.alerts.isEmpty {
            lines.append("  " + noneWord)
        } else {
            for a in content.alerts {
                lines.append("  - " + alertLineText(a))
            }
        }
        lines += ["", MessageCatalog.words(language).helpHeading]
        lines += MessageCatalog.help(language, adviceSettings).map { "  - " + $0 }
        lines += ["", "\(schoolName) · vertrouwd", footer]
        return lines.joined(separator: "\n") + "\n"
    }

    static let cell = "padding:4px 12px 4px 0;border-bottom:1px solid #e0e0e0;"
    static let h2 = "<h2 style=\"font-size:16px;margin:16px 0 8px 0;\">"

    public var html: String {
        let e = HTMLEscape.text
        let cell = Self.cell
        var h = HTMLEscape.pageStart(title: subject, language: language, accent: "#1f4e79")
        h += "<h1 style=\"font-size:20px;margin:0 0 16px 0;\">\(e(title))</h1>\n"
        if let note = holidayNote { h += "<p style=\"margin:0 0 16px 0;\"><strong>\(e(note))</strong></p>\n" }
        if let remark = standsOut { h += "<p style=\"margin:0 0 16px 0;\">\(e(remark))</p>\n" }
        for table in content.tables {
            h += Self.h2 + "\(e(tableHeading(table.name)))</h2>\n"
            h += "<table style=\"border-collapse:collapse;\">\n"
            if table.name == "category", hasHistory {
                h += categoryTableHTML(table)
            } else {
                for row in table.rows {
                    h += "<tr><td style=\"\(cell)\">\(e(keyLabel(row.key)))</td><td style=\"\(cell)text-align:right;\">\(e(row.value))</td></tr>\n"
                }
                h += "<tr><td style=\"\(cell)font-weight:bold;\">\(e(totalWord))</td><td style=\"\(cell)text-align:right;font-weight:bold;\">\(e(table.total))</td></tr>\n"
            }
            h += "</table>\n"
        }
        if let note = withheldNote { h += "<p style=\"margin:16px 0 0 0;\">\(e(note))</p>\n" }
        if content.trend.count > 1 {
            let top = max(content.trend.map { Self.magnitude($0.total) }.max() ?? 0, 1)
            h += Self.h2 + "\(e(trendHeading))</h2>\n"
            h += "<table style=\"border-collapse:collapse;\">\n"
            for point in content.trend {
                h += "<tr><td style=\"padding:2px 12px 2px 0;font-size:12px;\">\(e(weekWords(point.week)))</td>"
                if let total = point.total {
                    let width = max(2, Self.magnitude(total) * 300 / top)
                    h += "<td style=\"padding:2px 0;\">\(Self.bar(width: width))</td>"
                    h += "<td style=\"padding:2px 0 2px 8px;font-size:12px;\">\(e(total))</td></tr>\n"
                } else {
                    h += "<td style=\"padding:2px 0;font-size:12px;color:#555555;\">\(e(noSummaryWords))</td>"
                    h += "<td style=\"padding:2px 0 2px 8px;font-size:12px;\">\(e(gapWord))</td></tr>\n"
                }
            }
            h += "</table>\n"
        }
        h += Self.h2 + "\(e(alertsHeading))</h2>\n"
        if content.alerts.isEmpty {
            h += "<p style=\"margin:0;\">\(e(noneWord))</p>\n"
        } else {
            h += "<ul style=\"margin:0;padding-left:20px;\">\n"
            for a in content.alerts {
                h += "<li style=\"margin:0 0 6px 0;\">\(e(alertLineText(a)))</li>\n"
            }
            h += "</ul>\n"
        }
        h += Self.h2 + "\(e(MessageCatalog.words(language).helpHeading))</h2>\n<ul style=\"margin:0;padding-left:20px;\">\n"
        h += MessageCatalog.help(language, adviceSettings).map { "<li style=\"margin:0 0 6px 0;\">\(e($0))</li>\n" }.joined()
        h += "</ul>\n"
        h += "<p style=\"margin:20px 0 0 0;font-size:12px;color:#555555;\">\(e(schoolName)) · vertrouwd<br>\(e(footer))</p>\n"
        h += HTMLEscape.pageEnd
        return h
    }
}
