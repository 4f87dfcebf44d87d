/// The weekly summary as one line of the socket's JSON (DESIGN §7; fields
/// in docs/receivers.md).
extension SummaryMessage {
    /// The socket message (DESIGN §7), one line; values are strings. A
    /// trend week without a summary has a null total.
    public var json: String {
        let rowValue = { (r: SummaryContent.Row) -> JSONWriter.Value in .object([("key", .string(r.key)), ("value", .string(r.value))]) }
        let tables = content.tables.map { t -> JSONWriter.Value in
            .object([("name", .string(t.name)), ("rows", .array(t.rows.map(rowValue))), ("total", .string(t.total))])
        }
        let alerts = content.alerts.map { a -> JSONWriter.Value in
            .object([("rule", .string(a.rule)), ("window", .string(a.window)), ("at_least", .int(a.atLeast)),
                     ("categories", .array(a.categories.map { .string($0) })),
                     ("group", .object(a.group.parts.map { ($0.dimension.rawValue, $0.value.rowText.isEmpty ? .null : .string($0.value.rowText)) }))])
        }
        let trend = content.trend.map { p -> JSONWriter.Value in
            var fields: [(String, JSONWriter.Value)] = [("week", .string(p.week)), ("total", p.total.map { .string($0) } ?? .null)]
            if let categories = p.categories {
                fields.append(("categories", .object(categories.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
            }
            return .object(fields)
        }
        var fields: [(String, JSONWriter.Value)] = [
            ("type", .string("summary")), ("version", .int(1)), ("id", .string(content.id)), ("week", .string(content.week)),
            ("language", .string(language.rawValue)), ("tables", .array(tables)),
            ("withheld_tables", .array(content.withheldTables.map { .string($0) })), ("trend", .array(trend)),
            ("alerts", .array(alerts)),
        ]
        fields += [("stands_out", standsOut.map { .string($0) } ?? .null), ("text", .string(text))]
        if content.holidayWeek { fields.append(("holiday_week", .bool(true))) }
        return JSONWriter.render(.object(fields))
    }
}
