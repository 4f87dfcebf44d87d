// SummaryBuilder+Rise — the week's rise alerts, decided from published
// values only (issue 13, finding 3; Core `PublishedRise`): this week's
// tables as they are about to be published, and the baseline weeks'
// tables as their frozen summaries showed them (`FrozenSummary`). What
// fires is Core's.
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
                let shown = try store.publishedSummary(week: w.label).flatMap(FrozenSummary.tables)
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
            return SummaryContent.AlertLine(rule: rule.name, window: decision.window.label, atLeast: decision.atLeast,
                                            categories: SummaryContent.AlertLine.categories(of: rule, group: decision.group, taxonomy: configuration.taxonomy),
                                            group: decision.group)
        }
    }
}
