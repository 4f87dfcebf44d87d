import Foundation

/// The week's alerts as the summary lists them, with what each was about
/// and where: the same alerts, bands and order as `SummaryAlerts.lines`
/// (which the disclosure check reads), plus each alert's categories and
/// group, so that a line can say "Afpersing — Hoofdgebouw" instead of a
/// rule id. Pure.
extension SummaryContent.AlertLine {
    /// From the alert log: the highest band per rule, window and group for
    /// the windows starting in `week`; entries of rules no longer in
    /// `rules` are left out, as `SummaryAlerts` does.
    public static func lines(week: Window, log: [AlertKey], rules: [Rule], taxonomy: Taxonomy, zone: TimeZone) -> [Self] {
        struct Key: Hashable { var rule: String; var windowStart: Int64; var group: GroupKey }
        var highest: [Key: Int] = [:]
        for key in log where key.windowStart >= week.start && key.windowStart < week.end {
            let k = Key(rule: key.rule, windowStart: key.windowStart, group: key.group)
            highest[k] = max(highest[k] ?? 0, key.band)
        }
        var lines: [(line: Self, group: String)] = []
        for (key, band) in highest {
            guard let rule = rules.first(where: { $0.name == key.rule }) else { continue }
            let window = Window.containing(key.windowStart, kind: rule.window, in: zone)
            let categories: [String]
            if let c = key.group[.category]?.rowText, !c.isEmpty {
                categories = [c]
            } else {
                categories = taxonomy.categories.values.filter(rule.matches(category:))
            }
            lines.append((Self(rule: rule.name, window: window.label, atLeast: band, categories: categories, group: key.group),
                          key.group.encoded))
        }
        return lines.sorted { ($0.line.window, $0.line.rule, $0.group) < ($1.line.window, $1.line.rule, $1.group) }.map(\.line)
    }
}
