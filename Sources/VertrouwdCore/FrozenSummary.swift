import Foundation

/// A published week as the state database stores it, frozen
/// (`SummaryPublisher`):
///
///     {"week":"2026-W48","total":"20",
///      "renderings":{"nl":{"subject":…,"text":…,"html":…,"json":…},"en":{…}}}
///
/// Everything that reads an earlier week back — the trend and previous-week
/// column, rise rules (`PublishedRise`), the term overview (`TermReport`) —
/// reads it here, from the stored socket rendering (`json`, DESIGN §7),
/// whose tables are exactly what the week's summary showed. Nothing is
/// recomputed; what does not read is nil.
public enum FrozenSummary {
    /// The envelope's total: the first table's, as later trends show it.
    public static func total(_ envelope: String) -> String? {
        object(envelope)?["total"] as? String
    }

    /// The socket rendering's message in `language`, or, when the envelope
    /// lacks it, in the first language it has (the values are the same in
    /// every language).
    public static func message(_ envelope: String, preferring language: Language = .nl) -> [String: Any]? {
        guard let renderings = object(envelope)?["renderings"] as? [String: Any] else { return nil }
        let order = [language] + Language.allCases.filter { $0 != language }
        return order.lazy.compactMap { (renderings[$0.rawValue] as? [String: Any])?["json"] as? String }
            .compactMap(object).first
    }

    /// Every table the week showed, by name; nil when the envelope or one
    /// of its tables does not read. A table left out that week is absent.
    public static func tables(_ envelope: String) -> [String: SummaryContent.Table]? {
        guard let tables = message(envelope)?["tables"] as? [[String: Any]] else { return nil }
        var result: [String: SummaryContent.Table] = [:]
        for table in tables {
            guard let name = table["name"] as? String, let total = table["total"] as? String,
                  let rows = table["rows"] as? [[String: Any]] else { return nil }
            var parsed: [SummaryContent.Row] = []
            for row in rows {
                guard let key = row["key"] as? String, let value = row["value"] as? String else { return nil }
                parsed.append(SummaryContent.Row(key: key, value: value))
            }
            result[name] = SummaryContent.Table(name: name, rows: parsed, total: total)
        }
        return result
    }

    /// A JSON object, or nil.
    static func object(_ text: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }
}
