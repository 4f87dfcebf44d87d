import Foundation

/// The week's alerts as the summary lists them, with what each was about
/// and where: the same alerts, bands and order as `SummaryAlerts.lines`
/// (which the disclosure check reads), plus each alert's categories and
/// group, so that a line can say "Afpersing — Hoofdgebouw" instead of a
/// rule id. Pure.
extension SummaryContent.AlertLine {
    /// From the alert ledger: the highest band per rule definition, window
    /// and group for the windows starting in `week`. Each entry is placed
    /// with the rule that decided it (its stored definition), so the alert
    /// of a rule that a reload deleted or changed is listed with what it
    /// was about then; an entry from before the ledger (no definition)
    /// with the current rule of its name, and left out when that is gone
    /// too — as `SummaryAlerts` does.
    public static func lines(week: Window, ledger: [LoggedAlert], rules: [Rule], taxonomy: Taxonomy, zone: TimeZone) -> [Self] {
        struct Key: Hashable { var rule: String; var definition: String; var windowStart: Int64; var group: GroupKey }
        var highest: [Key: (rule: Rule, band: Int)] = [:]
        for entry in ledger where entry.key.windowStart >= week.start && entry.key.windowStart < week.end {
            guard let rule = entry.placingRule(in: rules) else { continue }
            let k = Key(rule: entry.key.rule, definition: RuleDefinition.encode(rule), windowStart: entry.key.windowStart,
                        group: entry.key.group)
            highest[k] = (rule, max(highest[k]?.band ?? 0, entry.key.band))
        }
        var lines: [(line: Self, group: String, definition: String)] = []
        for (key, value) in highest {
            let rule = value.rule
            let window = Window.containing(key.windowStart, kind: rule.window, in: zone)
            lines.append((Self(rule: rule.name, window: window.label, atLeast: value.band,
                               categories: categories(of: rule, group: key.group, taxonomy: taxonomy), group: key.group),
                          key.group.encoded, key.definition))
        }
        return lines.sorted { ($0.line.window, $0.line.rule, $0.group, $0.definition) < ($1.line.window, $1.line.rule, $1.group, $1.definition) }
            .map(\.line)
    }

    /// What an alert of `rule` and `group` is about: the group's category,
    /// or every category the rule matches.
    public static func categories(of rule: Rule, group: GroupKey, taxonomy: Taxonomy) -> [String] {
        if let c = group[.category]?.rowText, !c.isEmpty { return [c] }
        return taxonomy.categories.values.filter(rule.matches(category:))
    }

    /// A log without definitions: every entry placed with the current rule
    /// of its name (as an entry from before the ledger).
    public static func lines(week: Window, log: [AlertKey], rules: [Rule], taxonomy: Taxonomy, zone: TimeZone) -> [Self] {
        lines(week: week, ledger: log.map { LoggedAlert(key: $0, rule: nil) }, rules: rules, taxonomy: taxonomy, zone: zone)
    }
}
