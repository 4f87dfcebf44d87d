import VertrouwdCore

/// What `check-config` prints about a loaded configuration: enough for an
/// admin to see that the file says what they meant.
public enum ConfigSummary {
    public static func render(_ c: Configuration) -> String {
        var lines: [String] = []
        let t = c.taxonomy
        lines.append("school: \(c.school.name) (\(c.school.timeZone.identifier), \(c.school.language.rawValue))")
        lines.append("categories: \(t.categories.values.count) (\(t.categories.values.joined(separator: ", ")))")
        lines += advice(c)  // issue 15 §3 (s6-summary): which advice each category gets
        lines.append("sites: \(t.sites.values.count); cohorts: \(counted(t.cohorts)); channels: \(counted(t.channels))")
        let sourceNames = c.sources.map { name in
            var notes: [String] = []
            if c.sourceSettings[name]?.subjects == .required { notes.append("subjects required") }
            // s6-health: the silence limit.
            if let every = c.sourceSettings[name]?.expectEvery { notes.append("expected every \(every)") }
            return notes.isEmpty ? name : "\(name) [\(notes.joined(separator: "; "))]"
        }
        lines.append("sources: \(c.sources.count) (\(sourceNames.joined(separator: ", ")))")
        lines.append("privacy: k = \(c.privacy.minGroupSize), counts rounded to \(c.privacy.roundTo)")
        lines.append("rules: \(c.rules.count)")
        for rule in c.rules {
            lines.append("  \(rule.name): \(describe(rule))")
        }
        lines.append("recipients: \(c.recipients.count)")
        for r in c.recipients {
            let gets = MessageKind.allCases.filter(r.receives.contains).map(\.rawValue).joined(separator: " + ")
            let via = [r.email.map { _ in "e-mail" }, c.delivery.socketPath.map { _ in "socket" }].compactMap { $0 }
            lines.append("  \(r.name): \(gets) in \(r.language.rawValue) via \(via.joined(separator: " and "))")
        }
        lines.append("routes: \(routes(c.delivery))")
        lines.append("spool: \(c.spool.path); state: \(c.state.path)")
        lines.append("summary: \(c.summary.schedule) (\(c.school.timeZone.identifier)); rules evaluated \(c.alerts.evaluateEvery.seconds == 0 ? "after every batch" : "every \(c.alerts.evaluateEvery)")")
        lines += calendarLines(c)  // issue 15 §2 (s6-calendar)
        if let page = c.helpPage {  // issue 14 (h14-help)
            let host = page.listen.host.contains(":") ? "[\(page.listen.host)]" : page.listen.host
            lines.append("help page: http://\(host):\(page.listen.port)/ (\(page.language.rawValue)), \(page.situations.count) situations, trust contact \(page.contactName == nil ? "not named" : "named"); at most \(page.requestsPerMinute) requests a minute and \(page.reportsPerHour) reports an hour per client")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Which advice each category gets, grouped by topic, and what the
    /// school added: "advice: sextortion for sextortion.threat,
    /// sextortion.payment; general only for pesten (not in the message
    /// catalogue; choose one in [advice.topics])".
    static func advice(_ c: Configuration) -> [String] {
        let categories = c.taxonomy.categories.values
        var parts: [String] = []
        for topic in MessageCatalog.Topic.allCases {
            let these = categories.filter { MessageCatalog.topic(of: $0, c.advice) == topic }
            guard !these.isEmpty else { continue }
            let list = these.map { c.advice.topics[$0] == nil ? $0 : "\($0) [advice.topics]" }.joined(separator: ", ")
            if topic == .general {
                let unnamed = these.filter { c.advice.topics[$0] == nil }
                parts.append("general only for \(list)" + (unnamed.isEmpty ? "" : " (not in the message catalogue; choose a topic in [advice.topics])"))
            } else {
                parts.append("\(topic.rawValue) for \(list)")
            }
        }
        var lines = ["advice: " + parts.joined(separator: "; ")]
        if !c.advice.contacts.isEmpty {
            lines.append("advice contacts: " + c.advice.contacts.map(\.role).joined(separator: ", "))
        }
        for language in Language.allCases {
            guard let own = c.advice.lines[language], !own.isEmpty else { continue }
            let list = own.keys.sorted().map { own[$0]!.isEmpty ? "\($0) (left out)" : $0 }
            lines.append("advice lines (\(language.rawValue)): school's own text for \(list.joined(separator: ", "))")
        }
        return lines
    }

    static func counted(_ v: Vocabulary) -> String {
        v.isGrouped ? "\(v.values.count) in \(v.groupNames.count) groups" : "\(v.values.count)"
    }

    static func describe(_ rule: Rule) -> String {
        let match = rule.match.map(\.text).joined(separator: ", ")
        let groups = rule.groupBy.isEmpty ? "whole school" : "per " + rule.groupBy.map(\.rawValue).joined(separator: " + ")
        switch rule.kind {
        case .threshold(let window):
            let signals = rule.counting == .signals ? ", shows signals too" : ""
            return "threshold \(match), at least \(rule.minCount) per \(window.rawValue), \(groups), \(rule.severity.rawValue)\(signals)"
        case .rise(let baseline, let factor):
            let f = factor == factor.rounded() ? String(Int(factor)) : String(factor)
            // The minimum of weeks with data, when it is not the default (s6-calendar).
            let data = rule.minBaselineWeeks == min(Rule.defaultMinBaselineWeeks, baseline) ? "" : " (\(rule.minBaselineWeeks) with a summary)"
            return "rise \(match), \(f)× the mean of \(baseline) published weeks\(data) and at least \(rule.minCount), \(groups), \(rule.severity.rawValue)"
        }
    }

    /// The school calendar and the quiet hours, when the file sets them.
    static func calendarLines(_ c: Configuration) -> [String] {
        var lines: [String] = []
        if !c.calendar.isEmpty {
            var parts: [String] = []
            if let region = c.calendar.region {
                parts.append("national school holidays of region \(region.rawValue) (known until \(DutchSchoolHolidays.coveredUntil))")
            }
            if !c.calendar.daysOff.isEmpty {
                parts.append("\(c.calendar.daysOff.count) own \(c.calendar.daysOff.count == 1 ? "entry" : "entries") of days off")
            }
            lines.append("calendar: " + parts.joined(separator: "; "))
        }
        if let quiet = c.delivery.quiet {
            let except = Severity.allCases.filter(quiet.except.contains).map(\.rawValue)
            lines.append("quiet hours: alert e-mails wait during \(quiet)" + (except.isEmpty ? "" : ", except \(except.joined(separator: " and "))"))
        }
        return lines
    }

    static func routes(_ d: DeliverySettings) -> String {
        var routes: [String] = []
        switch d.email.mode {
        case .smtp:
            let auth = d.email.username == nil ? "" : ", AUTH as \(d.email.username!)"
            routes.append("e-mail via SMTP relay \(d.email.relay) (STARTTLS \(d.email.startTLS.rawValue)\(auth)) from \(d.email.from)")
        case .sendmail:
            routes.append("e-mail via \(d.email.sendmailPath) from \(d.email.from)")
        case .off:
            routes.append("e-mail off")
        }
        // The From display name and Reply-To, when they are not the defaults.
        if d.email.mode != .off {
            if d.email.fromName != EmailSettings().fromName { routes[0] += " as \"\(d.email.fromName)\"" }
            if let replyTo = d.email.replyTo { routes[0] += ", replies to \(replyTo)" }
        }
        routes.append(d.socketPath.map { "socket \($0)" } ?? "socket off")
        return routes.joined(separator: "; ")
    }
}
