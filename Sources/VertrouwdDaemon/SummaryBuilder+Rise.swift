// SummaryBuilder+Rise — the week's rise alerts, decided from published
// values only (issue 13, finding 3; Core `PublishedRise`): this week's
// tables as they are about to be published, and the baseline weeks'
// tables as their frozen summaries showed them. This file reads the
// frozen summaries; what fires is Core's.
import Foundation
import VertrouwdCore
import VertrouwdStore

extension SummaryBuilder {
    /// The rise alerts of `week`, from `tables` (the week's published
    /// tables) and the frozen summaries of each rule's baseline weeks
    /// (school weeks only, `RuleEngine.weeks(before:count:)`).
    func riseDecisions(week: Window, tables: [SummaryContent.Table], store: some StateStore) throws -> [AlertDecision] {
        let engine = RuleEngine(configuration: configuration)
        var frozen: [String: PublishedRise.Week] = [:]
        var decisions: [AlertDecision] = []
        for rule in configuration.rules {
            guard case .rise(let baselineWeeks, _) = rule.kind else { continue }
            let baseline = try engine.weeks(before: week, count: baselineWeeks).map { w throws -> PublishedRise.Week in
                if let known = frozen[w.label] { return known }
                let shown = try store.publishedSummary(week: w.label).flatMap(Self.frozenTables)
                frozen[w.label] = .some(shown)
                return shown
            }
            decisions += PublishedRise.decisions(rule, week: week, thisWeek: tables, baseline: baseline,
                                                 cells: cells, policy: configuration.privacy)
        }
        return decisions
    }

    /// The summary's lines for rise alerts: what, where, the week, and the
    /// band the alert announces.
    func riseLines(_ decisions: [AlertDecision]) -> [SummaryContent.AlertLine] {
        decisions.compactMap { decision in
            guard let rule = configuration.rules.first(where: { $0.name == decision.rule }) else { return nil }
            let categories: [String]
            if let c = decision.group[.category]?.rowText, !c.isEmpty {
                categories = [c]
            } else {
                categories = configuration.taxonomy.categories.values.filter(rule.matches(category:))
            }
            return SummaryContent.AlertLine(rule: rule.name, window: decision.window.label, atLeast: decision.atLeast,
                                            categories: categories, group: decision.group)
        }
    }

    /// Every table as a frozen summary showed it (name → table), read from
    /// its stored socket rendering; nil when the envelope holds none.
    static func frozenTables(_ envelope: String) -> [String: SummaryContent.Table]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(envelope.utf8)) as? [String: Any],
              let renderings = object["renderings"] as? [String: [String: String]] else { return nil }
        for language in Language.allCases {
            guard let json = renderings[language.rawValue]?["json"],
                  let message = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                  let tables = message["tables"] as? [[String: Any]] else { continue }
            var result: [String: SummaryContent.Table] = [:]
            for table in tables {
                guard let name = table["name"] as? String, let total = table["total"] as? String,
                      let rows = table["rows"] as? [[String: Any]] else { return nil }
                let parsed = rows.compactMap { row -> SummaryContent.Row? in
                    guard let key = row["key"] as? String, let value = row["value"] as? String else { return nil }
                    return SummaryContent.Row(key: key, value: value)
                }
                guard parsed.count == rows.count else { return nil }
                result[name] = SummaryContent.Table(name: name, rows: parsed, total: total)
            }
            return result
        }
        return nil
    }
}
