/// The summary's "Werking" section: signals accepted and rejected, messages
/// not delivered, the spool's backlog — system facts, passed through the
/// privacy filter like every number in the summary.
///
/// Issue 15 §1 moves health to IT's own health messages. Until those exist
/// the section stays here; everything about it is in this file and in
/// `SummaryContent.Health`, so that moving it out is: set `showsHealth` to
/// false (or delete this file's uses in SummaryMessage.swift).
extension SummaryMessage {
    /// Whether the summary shows the health section.
    static let showsHealth = true

    var healthRows: [(String, String)] {
        var rows = [(nl ? "Geaccepteerde signalen" : "Signals accepted", content.health.accepted)]
        for r in content.health.rejected {
            rows.append(((nl ? "Afgewezen: " : "Rejected: ") + r.key, r.value))
        }
        rows.append((nl ? "Niet bezorgde berichten" : "Messages not delivered", content.health.deliveryFailures))
        rows.append((nl ? "Wachtend in de spool" : "Waiting in the spool", content.health.spoolBacklog))
        return rows
    }

    var healthHeading: String { nl ? "Werking" : "Health" }

    /// The footer's sentence about what health counts.
    var healthFooter: String {
        guard Self.showsHealth else { return "" }
        return nl ? "Onder Werking staan signalen en berichten, geen leerlingen. " : "Health counts signals and messages, not pupils. "
    }

    /// The section's lines, a blank line first; none without health.
    var healthText: [String] {
        guard Self.showsHealth else { return [] }
        var lines = ["", healthHeading]
        let width = healthRows.map(\.0.count).max()! + 2
        for (label, value) in healthRows {
            lines.append("  " + padded(label, width) + value)
        }
        return lines
    }

    var healthHTML: String {
        guard Self.showsHealth else { return "" }
        let e = HTMLEscape.text
        var h = Self.h2 + "\(e(healthHeading))</h2>\n<table style=\"border-collapse:collapse;\">\n"
        for (label, value) in healthRows {
            h += "<tr><td style=\"\(Self.cell)\">\(e(label))</td><td style=\"\(Self.cell)text-align:right;\">\(e(value))</td></tr>\n"
        }
        return h + "</table>\n"
    }

    /// The socket message's "health" field.
    var healthJSON: [(String, JSONWriter.Value)] {
        guard Self.showsHealth else { return [] }
        let rowValue = { (r: SummaryContent.Row) -> JSONWriter.Value in .object([("key", .string(r.key)), ("value", .string(r.value))]) }
        return [("health", .object([
            ("accepted", .string(content.health.accepted)),
            ("rejected", .array(content.health.rejected.map(rowValue))),
            ("delivery_failures", .string(content.health.deliveryFailures)),
            ("spool_backlog", .string(content.health.spoolBacklog)),
        ]))]
    }
}
