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

    public struct TrendPoint: Hashable, Sendable {
        /// "2026-W41"
        public var week: String
        /// The published total of that week, from the frozen history.
        public var total: String
        public init(week: String, total: String) {
            self.week = week
            self.total = total
        }
    }

    public struct AlertLine: Hashable, Sendable {
        public var rule: String
        /// "2026-11-29" or "2026-W48"
        public var window: String
        public var atLeast: Int
        public init(rule: String, window: String, atLeast: Int) {
            self.rule = rule
            self.window = window
            self.atLeast = atLeast
        }
    }

    public struct Health: Hashable, Sendable {
        public var accepted: String
        /// Rejected signals by reason code.
        public var rejected: [Row]
        public var deliveryFailures: String
        public var spoolBacklog: String
        public init(accepted: String, rejected: [Row], deliveryFailures: String, spoolBacklog: String) {
            self.accepted = accepted
            self.rejected = rejected
            self.deliveryFailures = deliveryFailures
            self.spoolBacklog = spoolBacklog
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
    public var health: Health
    /// Tables left out whole: publishing any of their cells could single
    /// out a pupil.
    public var withheldTables: [String]
    /// The week was mostly school holiday (`[calendar]`): few signals are
    /// expected, and the summary says so rather than look like a quiet
    /// week (issue 15 §2, s6-calendar).
    public var holidayWeek = false

    public init(id: String, week: String, first: DateText.Day, last: DateText.Day, tables: [Table],
                trend: [TrendPoint], alerts: [AlertLine], health: Health, withheldTables: [String] = []) {
        self.id = id
        self.week = week
        self.first = first
        self.last = last
        self.tables = tables
        self.trend = trend
        self.alerts = alerts
        self.health = health
        self.withheldTables = withheldTables
    }
}

/// Renders a weekly summary: plain text (a sparkline for the trend), HTML
/// (inline CSS, bars) and the socket JSON of DESIGN §7. Pure and
/// deterministic: a published week re-renders to the same bytes (P7).
public struct SummaryMessage: Sendable {
    public let content: SummaryContent
    public let taxonomy: Taxonomy
    public let schoolName: String
    public let language: Language
    public let k: Int

    public init(_ content: SummaryContent, taxonomy: Taxonomy, schoolName: String, language: Language, k: Int) {
        self.content = content
        self.taxonomy = taxonomy
        self.schoolName = schoolName
        self.language = language
        self.k = k
    }

    var nl: Bool { language == .nl }

    /// The week, so that summaries do not fold into one thread: "vertrouwd:
    /// weekoverzicht week 48 van 2026". Never a count (mail logs see subjects).
    public var subject: String {
        let parts = content.week.split(separator: "-W")
        guard parts.count == 2, let year = Int(parts[0]), let week = Int(parts[1]) else {
            return nl ? "vertrouwd: weekoverzicht \(content.week)" : "vertrouwd: weekly summary \(content.week)"
        }
        return nl ? "vertrouwd: weekoverzicht week \(week) van \(year)" : "vertrouwd: weekly summary week \(week) of \(year)"
    }

    public var title: String {
        let range = DateText.range(content.first, content.last, language)
        return nl ? "Weekoverzicht \(content.week) (\(range))" : "Weekly summary \(content.week) (\(range))"
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

    /// A number for drawing the trend; "<k" draws as zero.
    static func magnitude(_ value: String) -> Int { Int(value) ?? 0 }

    /// ▁▂▃▄▅▆▇█ scaled to the largest published total.
    public var sparkline: String {
        let bars = Array("▁▂▃▄▅▆▇█")
        let values = content.trend.map { Self.magnitude($0.total) }
        let top = max(values.max() ?? 0, 1)
        return String(values.map { bars[min(bars.count - 1, $0 * (bars.count - 1) / top)] })
    }

    var healthRows: [(String, String)] {
        var rows = [(nl ? "Geaccepteerde signalen" : "Signals accepted", content.health.accepted)]
        for r in content.health.rejected {
            rows.append(((nl ? "Afgewezen: " : "Rejected: ") + r.key, r.value))
        }
        rows.append((nl ? "Niet bezorgde berichten" : "Messages not delivered", content.health.deliveryFailures))
        rows.append((nl ? "Wachtend in de spool" : "Waiting in the spool", content.health.spoolBacklog))
        return rows
    }

    var footer: String {
        nl ? "De aantallen in de tabellen, het verloop en de meldingen zijn aantallen verschillende leerlingen; in een tabel telt elke leerling één keer. "
            + "Aantallen onder \(k) staan als \"<\(k)\", andere zijn afgerond; totalen zijn afgerond uit de werkelijke som; \"x\" is weggelaten om een ander aantal te beschermen. "
            + "Onder Werking staan signalen en berichten, geen leerlingen. Dit overzicht kan geen leerling aanwijzen."
            : "The numbers in the tables, the trend and the alerts are numbers of different pupils; in a table each pupil counts once. "
            + "Counts below \(k) show as \"<\(k)\", others are rounded; totals are rounded from the true sum; \"x\" is left out to protect another count. "
            + "Health counts signals and messages, not pupils. This summary cannot point to a pupil."
    }

    var withheldNote: String? {
        guard !content.withheldTables.isEmpty else { return nil }
        let names = content.withheldTables.map(tableTitle).joined(separator: ", ")
        return nl ? "Weggelaten deze week, omdat de aantallen een leerling zouden kunnen aanwijzen: \(names)."
            : "Left out this week because the numbers could point to a pupil: \(names)."
    }

    public var text: String {
        var lines = [title, ""]
        if let note = holidayNote { lines += [note, ""] }
        for table in content.tables {
            lines.append(tableHeading(table.name))
            let width = max((table.rows.map { keyLabel($0.key).count } + [totalWord.count]).max()!, 8)
            for row in table.rows {
                lines.append("  " + keyLabel(row.key).padding(toLength: width + 2, withPad: " ", startingAt: 0) + row.value)
            }
            lines.append("  " + totalWord.padding(toLength: width + 2, withPad: " ", startingAt: 0) + table.total)
            lines.append("")
        }
        if let note = withheldNote { lines += [note, ""] }
        if !content.trend.isEmpty {
            lines.append(trendHeading)
            lines.append("  \(content.trend.first!.week) \(sparkline) \(content.trend.last!.week)")
            lines.append("  " + content.trend.map(\.total).joined(separator: " "))
            lines.append("")
        }
        lines.append(nl ? "Meldingen deze week" : "Alerts this week")
        if content.alerts.isEmpty {
            lines.append(nl ? "  geen" : "  none")
        } else {
            for a in content.alerts {
                lines.append("  " + alertLineText(a))
            }
        }
        lines += ["", MessageCatalog.words(language).helpHeading]
        lines += MessageCatalog.help(language).map { "  - " + $0 }
        lines += ["", nl ? "Werking" : "Health"]
        let width = healthRows.map(\.0.count).max()!
        for (label, value) in healthRows {
            lines.append("  " + label.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value)
        }
        lines += ["", "\(schoolName) · vertrouwd", footer]
        return lines.joined(separator: "\n") + "\n"
    }

    public var html: String {
        let e = HTMLEscape.text
        let cell = "padding:4px 12px 4px 0;border-bottom:1px solid #e0e0e0;"
        var h = HTMLEscape.pageStart(title: subject, language: language, accent: "#1f4e79")
        h += "<h1 style=\"font-size:20px;margin:0 0 16px 0;\">\(e(title))</h1>\n"
        if let note = holidayNote { h += "<p style=\"margin:0 0 16px 0;\"><strong>\(e(note))</strong></p>\n" }
        for table in content.tables {
            h += "<h2 style=\"font-size:16px;margin:16px 0 8px 0;\">\(e(tableHeading(table.name)))</h2>\n"
            h += "<table style=\"border-collapse:collapse;\">\n"
            for row in table.rows {
                h += "<tr><td style=\"\(cell)\">\(e(keyLabel(row.key)))</td><td style=\"\(cell)text-align:right;\">\(e(row.value))</td></tr>\n"
            }
            h += "<tr><td style=\"\(cell)font-weight:bold;\">\(e(totalWord))</td><td style=\"\(cell)text-align:right;font-weight:bold;\">\(e(table.total))</td></tr>\n"
            h += "</table>\n"
        }
        if let note = withheldNote { h += "<p style=\"margin:16px 0 0 0;\">\(e(note))</p>\n" }
        if !content.trend.isEmpty {
            let top = max(content.trend.map { Self.magnitude($0.total) }.max() ?? 0, 1)
            h += "<h2 style=\"font-size:16px;margin:16px 0 8px 0;\">\(e(trendHeading))</h2>\n"
            h += "<table style=\"border-collapse:collapse;\">\n"
            for point in content.trend {
                let width = max(2, Self.magnitude(point.total) * 300 / top)
                h += "<tr><td style=\"padding:2px 12px 2px 0;font-size:12px;\">\(e(point.week))</td>"
                h += "<td style=\"padding:2px 0;\">\(Self.bar(width: width))</td>"
                h += "<td style=\"padding:2px 0 2px 8px;font-size:12px;\">\(e(point.total))</td></tr>\n"
            }
            h += "</table>\n"
        }
        h += "<h2 style=\"font-size:16px;margin:16px 0 8px 0;\">\(e(nl ? "Meldingen deze week" : "Alerts this week"))</h2>\n"
        if content.alerts.isEmpty {
            h += "<p style=\"margin:0;\">\(e(nl ? "geen" : "none"))</p>\n"
        } else {
            h += "<ul style=\"margin:0;padding-left:20px;\">\n"
            for a in content.alerts {
                h += "<li>\(e(alertLineText(a)))</li>\n"
            }
            h += "</ul>\n"
        }
        h += "<h2 style=\"font-size:16px;margin:16px 0 8px 0;\">\(e(MessageCatalog.words(language).helpHeading))</h2>\n<ul style=\"margin:0;padding-left:20px;\">\n"
        h += MessageCatalog.help(language).map { "<li style=\"margin:0 0 6px 0;\">\(e($0))</li>\n" }.joined()
        h += "</ul>\n"
        h += "<h2 style=\"font-size:16px;margin:16px 0 8px 0;\">\(e(nl ? "Werking" : "Health"))</h2>\n<table style=\"border-collapse:collapse;\">\n"
        for (label, value) in healthRows {
            h += "<tr><td style=\"\(cell)\">\(e(label))</td><td style=\"\(cell)text-align:right;\">\(e(value))</td></tr>\n"
        }
        h += "</table>\n<p style=\"margin:20px 0 0 0;font-size:12px;color:#555555;\">\(e(schoolName)) · vertrouwd<br>\(e(footer))</p>\n"
        h += HTMLEscape.pageEnd
        return h
    }

    /// The socket message (DESIGN §7), one line; values are strings.
    public var json: String {
        let rowValue = { (r: SummaryContent.Row) -> JSONWriter.Value in .object([("key", .string(r.key)), ("value", .string(r.value))]) }
        let tables = content.tables.map { t -> JSONWriter.Value in
            .object([("name", .string(t.name)), ("rows", .array(t.rows.map(rowValue))), ("total", .string(t.total))])
        }
        let alerts = content.alerts.map { a -> JSONWriter.Value in
            .object([("rule", .string(a.rule)), ("window", .string(a.window)), ("at_least", .int(a.atLeast))])
        }
        let trend = content.trend.map { p -> JSONWriter.Value in .object([("week", .string(p.week)), ("total", .string(p.total))]) }
        let health: JSONWriter.Value = .object([
            ("accepted", .string(content.health.accepted)),
            ("rejected", .array(content.health.rejected.map(rowValue))),
            ("delivery_failures", .string(content.health.deliveryFailures)),
            ("spool_backlog", .string(content.health.spoolBacklog)),
        ])
        return JSONWriter.render(.object([
            ("type", .string("summary")), ("version", .int(1)), ("id", .string(content.id)), ("week", .string(content.week)),
            ("language", .string(language.rawValue)), ("tables", .array(tables)),
            ("withheld_tables", .array(content.withheldTables.map { .string($0) })), ("trend", .array(trend)),
            ("alerts", .array(alerts)), ("health", health), ("text", .string(text)),
        ] + (content.holidayWeek ? [("holiday_week", .bool(true))] : [])))
    }
}
