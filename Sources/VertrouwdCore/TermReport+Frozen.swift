import Foundation

/// Reading a week back from its frozen summary, as the state database
/// stores it (`SummaryPublisher`):
///
///     {"week":"2026-W48","total":"20",
///      "renderings":{"nl":{"subject":…,"text":…,"html":…,"json":…},"en":{…}}}
///
/// The numbers come from the stored socket rendering (`json`, DESIGN §7),
/// whose tables, alerts and holiday mark are what the week's summary
/// showed. Nothing is recomputed and nothing is guessed: an envelope that
/// does not read is `nil`, and the overview shows the week as unreadable.
extension TermReport {
    /// What a frozen summary showed, read from the socket rendering in
    /// `language` (or, when the envelope lacks it, the first language it
    /// has: the values are the same in every language). Nil when the
    /// envelope or its rendering cannot be read.
    public static func published(frozen envelope: String, language: Language) -> PublishedWeek? {
        guard let message = FrozenSummary.message(envelope, preferring: language),
              let tables = message["tables"] as? [[String: Any]] else { return nil }
        var categories: [String: String]?
        var categoryOrder: [String] = []
        if let table = tables.first(where: { $0["name"] as? String == "category" }) {
            guard let rows = table["rows"] as? [[String: Any]] else { return nil }
            var values: [String: String] = [:]
            for row in rows {
                guard let key = row["key"] as? String, let value = row["value"] as? String else { return nil }
                if values.updateValue(value, forKey: key) == nil { categoryOrder.append(key) }
            }
            categories = values
        }
        // The envelope's total is the one the trend of later summaries
        // shows (the first table's); the message's own tables agree.
        let envelopeTotal = FrozenSummary.total(envelope).flatMap { $0.isEmpty ? nil : $0 }
        let total = envelopeTotal ?? (tables.first?["total"] as? String)
        guard let alerts = alertLines(message["alerts"]) else { return nil }
        return PublishedWeek(total: total, categories: categories, categoryOrder: categoryOrder,
                             holiday: message["holiday_week"] as? Bool ?? false, alerts: alerts)
    }

    /// The socket rendering's alerts; [] when it lists none, nil when one
    /// does not read.
    static func alertLines(_ value: Any?) -> [SummaryContent.AlertLine]? {
        guard let value else { return [] }
        guard let alerts = value as? [[String: Any]] else { return nil }
        var lines: [SummaryContent.AlertLine] = []
        for alert in alerts {
            guard let rule = alert["rule"] as? String, let window = alert["window"] as? String,
                  let atLeast = (alert["at_least"] as? NSNumber)?.intValue else { return nil }
            let categories = (alert["categories"] as? [Any])?.compactMap { $0 as? String } ?? []
            var parts: [GroupKey.Part] = []
            for (name, v) in alert["group"] as? [String: Any] ?? [:] {
                guard let dimension = Dimension(rawValue: name) else { return nil }
                parts.append(.init(dimension, (v as? String).map { .known($0) } ?? .unknown))
            }
            lines.append(.init(rule: rule, window: window, atLeast: atLeast, categories: categories, group: GroupKey(parts)))
        }
        return lines
    }
}
