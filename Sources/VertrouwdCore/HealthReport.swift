import Foundation

/// IT's weekly health report (issue 15 §3, s7-health), rendered as text,
/// HTML and one line of JSON for the socket. It goes to the recipients
/// that receive "health" when the week's summary is published, and says
/// how the system worked that week: deliveries per route, messages given
/// up, what waits, rejects by reason code, the watched sources. System
/// facts only, unmasked (a 1 is a 1, not "<5"); no pupil count, no bucket,
/// no rejected value — `HealthReportFacts` holds none.
public struct HealthReport: Sendable {
    public let subject: String
    public let text: String
    public let html: String
    public let json: String

    public init(id: String, facts f: HealthReportFacts, schoolName: String, language: Language, zone: TimeZone, now: Int64) {
        let w = HealthWording(language: language, zone: zone, now: now)
        let weekWords = Self.weekWords(f.week, w)
        let range = DateText.range(f.first, f.last, language)
        let state = f.needsAttention ? w.t("aandacht nodig", "needs attention") : w.t("in orde", "all well")
        subject = "vertrouwd (\(schoolName)): " + w.t("werking \(weekWords): \(state)", "health \(weekWords): \(state)")
        let title = w.t("Werking \(weekWords) (\(range))", "Health report \(weekWords) (\(range))")
        let intro = w.t("Hoe vertrouwd op \(schoolName) deze week werkte.", "How vertrouwd at \(schoolName) worked this week.")

        var sections: [(String, [String])] = []
        sections.append((w.t("Aandachtspunten", "Needs attention"), Self.attention(f, w)))
        sections.append((w.t("Bezorging", "Delivery"), Self.delivery(f, w)))
        sections.append((w.t("Afgewezen deze week, per reden", "Rejected this week, by reason"),
                         f.rejects.isEmpty ? [w.t("geen", "none")] : f.rejects.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }))
        sections.append((w.t("Bronnen", "Sources"), Self.sources(f, w)))

        let footer = w.t(
            "Dit weekrapport komt elke week, met het weekoverzicht voor de vertrouwenspersoon; dat overzicht toont de werking niet meer. Het bevat alleen systeemgegevens, geen aantallen leerlingen. Problemen die niet tot maandag kunnen wachten komen apart, in een bericht zodra ze ontstaan. Zie 'Troubleshooting' in de README van vertrouwd.",
            "This report comes every week, with the trust contact's weekly summary, which no longer shows health. It holds system facts only, no pupil counts. Problems that cannot wait until Monday come on their own, in a message as soon as they appear. See 'Troubleshooting' in vertrouwd's README.")

        var lines = [title, "", intro]
        for (heading, items) in sections {
            lines.append("")
            lines.append(heading + ":")
            lines += items.map { "- " + $0 }
        }
        lines += ["", "\(schoolName) · vertrouwd", footer]
        text = lines.joined(separator: "\n") + "\n"

        let e = HTMLEscape.text
        var h = HTMLEscape.pageStart(title: subject, language: language, accent: f.needsAttention ? "#b71c1c" : "#2e7d32")
        h += "<h1 style=\"font-size:20px;margin:0 0 16px 0;\">\(e(title))</h1>\n<p>\(e(intro))</p>\n"
        for (heading, items) in sections {
            h += "<h2 style=\"font-size:16px;margin:16px 0 4px 0;\">\(e(heading))</h2>\n<ul>\n"
            for item in items { h += "<li>\(e(item))</li>\n" }
            h += "</ul>\n"
        }
        h += "<p style=\"margin:20px 0 0 0;font-size:12px;color:#555555;\">\(e(schoolName)) · vertrouwd<br>\(e(footer))</p>\n"
        h += HTMLEscape.pageEnd
        html = h

        json = Self.json(id: id, facts: f, language: language, now: now, text: text)
    }

    /// "week 48 van 2026" / "week 48 of 2026".
    static func weekWords(_ label: String, _ w: HealthWording) -> String {
        let parts = label.split(separator: "-W")
        guard parts.count == 2, let year = Int(parts[0]), let week = Int(parts[1]) else { return label }
        return w.t("week \(week) van \(year)", "week \(week) of \(year)")
    }

    static func attention(_ f: HealthReportFacts, _ w: HealthWording) -> [String] {
        var items: [String] = []
        for (route, r) in f.routes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where r.givenUp > 0 {
            items.append(w.t("\(r.givenUp) \(r.givenUp == 1 ? "bericht" : "berichten") per \(w.routeName(route)) opgegeven deze week: \(r.givenUp == 1 ? "het komt" : "ze komen") niet meer aan.",
                             "\(r.givenUp) \(r.givenUp == 1 ? "message" : "messages") by \(w.routeName(route)) given up this week: \(r.givenUp == 1 ? "it" : "they") will not arrive."))
        }
        for (route, failure) in f.failing.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            items.append(w.t("Bezorging per \(w.routeName(route)) mislukt nog steeds, sinds \(w.time(failure.since)) (laatste reden: \(failure.reason)).",
                             "Delivery by \(w.routeName(route)) is still failing, since \(w.time(failure.since)) (last reason: \(failure.reason))."))
        }
        for source in f.silentAllWeek {
            items.append(w.t("Bron \(source) heeft deze week niets gestuurd. Werkt het filter of programma dat de signalen levert nog?",
                             "Source \(source) sent nothing this week. Is the filter or program that sends the signals still working?"))
        }
        return items.isEmpty ? [w.t("geen", "none")] : items
    }

    static func delivery(_ f: HealthReportFacts, _ w: HealthWording) -> [String] {
        var items: [String] = []
        for route in DeliveryRoute.allCases {
            guard let r = f.routes[route] else { continue }
            items.append(w.t("\(w.routeName(route)): \(r.delivered) bezorgd, \(r.givenUp) opgegeven",
                             "\(w.routeName(route)): \(r.delivered) delivered, \(r.givenUp) given up"))
        }
        if f.waiting == 0 {
            items.append(w.t("Wachtende berichten: geen", "Messages waiting: none"))
        } else {
            let oldest = f.oldestWaiting.map { w.t(", oudste \(w.age(w.now - $0))", ", oldest \(w.age(w.now - $0))") } ?? ""
            items.append(w.t("Wachtende berichten: \(f.waiting)\(oldest)", "Messages waiting: \(f.waiting)\(oldest)"))
        }
        items.append(w.t("Bestanden wachtend in de spool: \(f.spoolBacklog)", "Files waiting in the spool: \(f.spoolBacklog)"))
        return items
    }

    static func sources(_ f: HealthReportFacts, _ w: HealthWording) -> [String] {
        var items: [String] = []
        for s in f.watched {
            let sent: String
            if let last = s.daysSent.last {
                sent = w.t("gestuurd op \(s.daysSent.count) van de \(f.days) dagen, het laatst op \(DateText.long(last, w.language))",
                           "sent on \(s.daysSent.count) of the \(f.days) days, last on \(DateText.long(last, w.language))")
            } else {
                sent = w.t("niets gestuurd", "sent nothing")
            }
            items.append(w.t("\(s.name) (verwacht elke \(s.expectEvery)): \(sent)", "\(s.name) (expected every \(s.expectEvery)): \(sent)"))
        }
        if !f.unwatched.isEmpty {
            items.append(w.t("Niet bewaakt (geen expect_every): \(f.unwatched.joined(separator: ", "))",
                             "Not watched (no expect_every): \(f.unwatched.joined(separator: ", "))"))
        }
        return items.isEmpty ? [w.t("geen", "none")] : items
    }

    /// The socket message: `"type":"health_report"`, every number an
    /// integer (unmasked), one line.
    static func json(id: String, facts f: HealthReportFacts, language: Language, now: Int64, text: String) -> String {
        let routes: [(String, JSONWriter.Value)] = DeliveryRoute.allCases.compactMap { route in
            f.routes[route].map { (route.rawValue, .object([("delivered", .int($0.delivered)), ("given_up", .int($0.givenUp))])) }
        }
        let failing: [(String, JSONWriter.Value)] = f.failing.sorted { $0.key.rawValue < $1.key.rawValue }.map { route, failure in
            (route.rawValue, .object([("given_up", .int(failure.count)), ("reason", .string(failure.reason)),
                                      ("since", .string(RFC3339.utcText(failure.since)))]))
        }
        let watched: [JSONWriter.Value] = f.watched.map { s in
            .object([("name", .string(s.name)), ("expect_every", .string(s.expectEvery.description)),
                     ("days_sent", .array(s.daysSent.map { .string($0.iso) }))])
        }
        return JSONWriter.render(.object([
            ("type", .string("health_report")), ("version", .int(1)), ("id", .string(id)), ("week", .string(f.week)),
            ("at", .string(RFC3339.utcText(now))), ("needs_attention", .bool(f.needsAttention)),
            ("routes", .object(routes)), ("failing", .object(failing)),
            ("waiting", .int(f.waiting)), ("oldest_waiting", f.oldestWaiting.map { .string(RFC3339.utcText($0)) } ?? .null),
            ("spool_backlog", .int(f.spoolBacklog)),
            ("rejects", .object(f.rejects.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("watched_sources", .array(watched)), ("unwatched_sources", .array(f.unwatched.map { .string($0) })),
            ("language", .string(language.rawValue)), ("text", .string(text)),
        ]))
    }
}
