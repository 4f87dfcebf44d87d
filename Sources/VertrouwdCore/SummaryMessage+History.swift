/// What a summary says about earlier weeks: the previous week's column and
/// a trend per category in the category table, and one "wat valt op"
/// sentence.
///
/// Privacy: every earlier number comes from `SummaryContent.trend`, which
/// holds what those weeks' frozen summaries showed ("<5", "15", "x"), never
/// a count recomputed today (CONTRACT, issue 15 §3). This file compares
/// shown texts only: it adds no fact that a reader of both summaries does
/// not have already.
extension SummaryMessage {
    /// The trend's earlier weeks (oldest first), without this week.
    var earlier: [SummaryContent.TrendPoint] {
        content.trend.last?.week == content.week ? Array(content.trend.dropLast()) : content.trend
    }

    /// The week before this one, as its summary showed it; nil when the
    /// trend has no earlier week at all.
    var previous: SummaryContent.TrendPoint? { earlier.last }

    /// Whether there is an earlier week to show next to this one.
    var hasHistory: Bool { previous != nil }

    var columnWords: (now: String, previous: String, trend: String) {
        nl ? ("deze week", "vorige week", "verloop") : ("this week", "last week", "trend")
    }

    /// One row of the category table with history: label, this week, the
    /// previous week as shown then ("–" without a summary), a sparkline
    /// over the trend weeks.
    struct HistoryRow {
        var label: String
        var now: String
        var previous: String
        var trend: String
        var bold: Bool
    }

    func historyRows(_ table: SummaryContent.Table) -> [HistoryRow] {
        let earlier = self.earlier
        let top = (table.rows.map { Self.magnitude($0.value) }
            + earlier.flatMap { ($0.categories ?? [:]).values.map { Self.magnitude($0) } }).max() ?? 0
        var rows = table.rows.map { row in
            HistoryRow(label: keyLabel(row.key), now: row.value, previous: previous?.categories?[row.key] ?? gapWord,
                       trend: Self.sparkline(earlier.map { $0.categories?[row.key] } + [row.value], top: top), bold: false)
        }
        let totalTop = (earlier.map { Self.magnitude($0.total) } + [Self.magnitude(table.total)]).max() ?? 0
        rows.append(HistoryRow(label: totalWord, now: table.total, previous: previous?.total ?? gapWord,
                               trend: Self.sparkline(earlier.map(\.total) + [table.total], top: totalTop), bold: true))
        return rows
    }

    func categoryTableText(_ table: SummaryContent.Table, labelWidth: Int) -> [String] {
        let rows = historyRows(table)
        let words = columnWords
        let nowWidth = max(words.now.count, rows.map(\.now.count).max()!) + 2
        let previousWidth = max(words.previous.count, rows.map(\.previous.count).max()!) + 2
        var lines = ["  " + padded("", labelWidth) + padded(words.now, nowWidth) + padded(words.previous, previousWidth) + words.trend]
        for row in rows {
            lines.append("  " + padded(row.label, labelWidth) + padded(row.now, nowWidth) + padded(row.previous, previousWidth) + row.trend)
        }
        return lines
    }

    func categoryTableHTML(_ table: SummaryContent.Table) -> String {
        let e = HTMLEscape.text
        let cell = Self.cell
        let words = columnWords
        let head = "padding:4px 12px 4px 0;font-size:12px;font-weight:normal;color:#555555;"
        var h = "<tr><th style=\"\(head)\"></th><th style=\"\(head)text-align:right;\">\(e(words.now))</th>"
            + "<th style=\"\(head)text-align:right;\">\(e(words.previous))</th><th style=\"\(head)text-align:left;\">\(e(words.trend))</th></tr>\n"
        for row in historyRows(table) {
            let weight = row.bold ? "font-weight:bold;" : ""
            h += "<tr><td style=\"\(cell)\(weight)\">\(e(row.label))</td><td style=\"\(cell)text-align:right;\(weight)\">\(e(row.now))</td>"
            h += "<td style=\"\(cell)text-align:right;color:#555555;\">\(e(row.previous))</td>"
            h += "<td style=\"\(cell)font-family:monospace;letter-spacing:1px;\">\(e(row.trend))</td></tr>\n"
        }
        return h
    }

    /// A shown value as a sentence says it: "minder dan 5" for "<5".
    func spoken(_ value: String) -> String {
        value.hasPrefix("<") ? (nl ? "minder dan " : "fewer than ") + value.dropFirst() : value
    }

    /// A shown value's size for ranking changes: its number, 0 for "<k";
    /// nil for "x", a gap or anything else, which is never compared.
    static func rank(_ value: String?) -> Int? {
        guard let value, !value.isEmpty else { return nil }
        if let n = Int(value) { return n }
        return value.hasPrefix("<") ? 0 : nil
    }

    /// One sentence on what stands out: the category whose shown value
    /// changed most since the previous week's summary (the first in table
    /// order on a tie), from the two shown values alone. Nil when the
    /// category table is not shown this week.
    public var standsOut: String? {
        guard let table = content.tables.first(where: { $0.name == "category" }) else { return nil }
        let lead = nl ? "Wat valt op: " : "What stands out: "
        guard let before = previous?.categories else {
            return lead + (nl ? "er is geen overzicht per soort signaal van vorige week om mee te vergelijken."
                               : "there is no summary by kind of signal of last week to compare with.")
        }
        var best: (row: SummaryContent.Row, was: String, change: Int)?
        for row in table.rows {
            guard let was = before[row.key], was != row.value,
                  let a = Self.rank(was), let b = Self.rank(row.value) else { continue }
            if abs(b - a) > (best?.change ?? 0) { best = (row, was, abs(b - a)) }
        }
        guard let best else {
            return lead + (nl ? "per soort signaal laat dit overzicht geen verschil met vorige week zien."
                               : "by kind of signal, this summary shows no difference from last week.")
        }
        let label = keyLabel(best.row.key)
        return lead + (nl ? "de grootste verandering sinds vorige week is ‘\(label)’, van \(spoken(best.was)) naar \(spoken(best.row.value)) leerlingen."
                          : "the largest change since last week is ‘\(label)’, from \(spoken(best.was)) to \(spoken(best.row.value)) pupils.")
    }
}
