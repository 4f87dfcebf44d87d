import Foundation

/// A health message for IT (issue 15 §1), rendered as text, HTML and one
/// line of JSON for the socket. It carries system facts unmasked —
/// deliveries, backlog, rejects by reason code, silent sources, disk — and
/// never a pupil count, a bucket or a rejected value: `HealthFacts` holds
/// none. Times are shown in the school's zone to the minute.
public struct HealthMessage: Sendable {
    public let subject: String
    public let text: String
    public let html: String
    public let json: String

    public init(id: String, notices: [HealthNotice], facts: HealthFacts, schoolName: String,
                language: Language, zone: TimeZone, now: Int64, repeatEvery: Interval) {
        let w = HealthWording(language: language, zone: zone, now: now)
        let problems = notices.filter { $0.change != .cleared }
        let cleared = notices.filter { $0.change == .cleared }
        let first = notices.first.map { w.title($0.problem) } ?? ""
        let more = notices.count > 1 ? " (+\(notices.count - 1))" : ""
        subject = "vertrouwd (\(schoolName)): \(problems.isEmpty ? w.t("opgelost", "cleared") : w.t("probleem", "problem")): \(first)\(more)"

        var lines: [String] = []
        lines.append(problems.isEmpty
            ? w.t("vertrouwd op \(schoolName) meldt dat een probleem is opgelost.", "vertrouwd at \(schoolName) reports that a problem has cleared.")
            : w.t("vertrouwd op \(schoolName) meldt een probleem met het systeem.", "vertrouwd at \(schoolName) reports a problem with the system."))
        var sections: [(String, [String])] = []
        if !problems.isEmpty {
            sections.append((w.t("Problemen", "Problems"), problems.map { w.line($0, facts) }))
        }
        if !cleared.isEmpty {
            sections.append((w.t("Opgelost", "Cleared"), cleared.map { w.line($0, facts) }))
        }
        sections.append((w.t("Stand op \(w.time(now)) (\(zone.identifier))", "State at \(w.time(now)) (\(zone.identifier))"), w.state(facts)))
        for (title, items) in sections {
            lines.append("")
            lines.append(title + ":")
            lines += items.map { "- " + $0 }
        }
        let hours = repeatEvery.seconds / 3_600
        let footer = w.t(
            "Dit bericht bevat alleen systeemgegevens, geen aantallen leerlingen. Over hetzelfde probleem komt hooguit één bericht per \(hours) uur, en een bericht wanneer het is opgelost. Zie 'Troubleshooting' in de README van vertrouwd.",
            "This message holds system facts only, no pupil counts. About the same problem at most one message comes per \(hours) h, and one when it has cleared. See 'Troubleshooting' in vertrouwd's README.")
        lines.append("")
        lines.append(footer)
        text = lines.joined(separator: "\n") + "\n"

        let e = HTMLEscape.text
        var h = HTMLEscape.pageStart(title: subject, language: language, accent: problems.isEmpty ? "#2e7d32" : "#b71c1c")
        h += "<p>\(e(lines[0]))</p>\n"
        for (title, items) in sections {
            h += "<h2 style=\"font-size:16px;margin:16px 0 4px 0;\">\(e(title))</h2>\n<ul>\n"
            for item in items { h += "<li>\(e(item))</li>\n" }
            h += "</ul>\n"
        }
        h += "<p style=\"font-size:12px;color:#555555;\">\(e(footer))</p>\n" + HTMLEscape.pageEnd
        html = h

        let noticeValues: [JSONWriter.Value] = notices.map { n in
            var since = n.since
            if case .sourceSilent = n.problem { since = RFC3339.utcHourStart(since) }  // the hour only
            return .object([("problem", .string(n.problem.code)), ("change", .string(n.change.rawValue)),
                            ("since", .string(RFC3339.utcText(since)))])
        }
        var failing: [(String, JSONWriter.Value)] = []
        for (route, f) in facts.failing.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            failing.append((route.rawValue, .object([("given_up", .int(f.count)), ("reason", .string(f.reason)),
                                                     ("since", .string(RFC3339.utcText(f.since)))])))
        }
        var fields: [(String, JSONWriter.Value)] = [
            ("type", .string("health")), ("version", .int(1)), ("id", .string(id)),
            ("at", .string(RFC3339.utcText(now))), ("notices", .array(noticeValues)),
            ("waiting", .int(facts.waiting)),
            ("oldest_waiting", facts.oldestWaiting.map { .string(RFC3339.utcText($0)) } ?? .null),
            ("failing", .object(failing)),
            ("rejects", .object(facts.rejects.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            // The hour only (HealthWording.hour): never when a pupil pressed a button.
            ("last_seen", .object(facts.lastSeen.sorted { $0.key < $1.key }.map {
                ($0.key, .string(RFC3339.utcText(RFC3339.utcHourStart($0.value))))
            })),
        ]
        if let disk = facts.disk {
            fields.append(("disk", .object([("free", .int(Int(disk.free))), ("total", .int(Int(disk.total)))])))
        }
        fields.append(("language", .string(language.rawValue)))
        fields.append(("text", .string(text)))
        json = JSONWriter.render(.object(fields))
    }
}
