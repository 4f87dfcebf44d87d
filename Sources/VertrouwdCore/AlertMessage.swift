/// What an alert says, independent of how it is rendered: the rule, the
/// window (a day or an ISO week, never a finer time: P3), the group, and a
/// band ("at least N", never the count: P9). No ids, sources or times.
public struct AlertContent: Hashable, Sendable {
    public struct Period: Hashable, Sendable {
        public var kind: WindowKind
        /// First and last local day of the window (the same for a day).
        public var first: DateText.Day
        public var last: DateText.Day
        /// ISO week and its year, for a week window.
        public var isoWeek: (year: Int, week: Int)?

        public init(kind: WindowKind, first: DateText.Day, last: DateText.Day, isoWeek: (year: Int, week: Int)? = nil) {
            self.kind = kind
            self.first = first
            self.last = last
            self.isoWeek = isoWeek
        }

        public static func == (a: Period, b: Period) -> Bool {
            a.kind == b.kind && a.first == b.first && a.last == b.last && a.isoWeek?.year == b.isoWeek?.year && a.isoWeek?.week == b.isoWeek?.week
        }

        public func hash(into h: inout Hasher) {
            h.combine(kind); h.combine(first); h.combine(last); h.combine(isoWeek?.year); h.combine(isoWeek?.week)
        }
    }

    public var id: String
    public var rule: Rule
    public var period: Period
    /// The group, in the rule's group_by order; "" is an unknown value.
    public var group: [(dimension: Dimension, value: String)]
    public var atLeast: Int
    public var escalation: Bool
    /// For a rule with `count = "signals"`: the band the group's signals
    /// have crossed (≥ `atLeast`: a pupil sends one signal or more); nil
    /// otherwise. Shown beside the pupils, never instead of them.
    public var signalsAtLeast: Int?

    public init(id: String, rule: Rule, period: Period, group: [(dimension: Dimension, value: String)], atLeast: Int, escalation: Bool) {
        precondition(atLeast >= rule.minCount, "an alert reports a band, at least min_count")
        self.id = id
        self.rule = rule
        self.period = period
        self.group = group
        self.atLeast = atLeast
        self.escalation = escalation
    }

    public static func == (a: AlertContent, b: AlertContent) -> Bool {
        a.id == b.id && a.rule == b.rule && a.period == b.period && a.atLeast == b.atLeast && a.escalation == b.escalation
            && a.signalsAtLeast == b.signalsAtLeast
            && a.group.map(\.dimension) == b.group.map(\.dimension) && a.group.map(\.value) == b.group.map(\.value)
    }

    public func hash(into h: inout Hasher) {
        h.combine(id); h.combine(rule); h.combine(period); h.combine(atLeast); h.combine(escalation); h.combine(signalsAtLeast)
        for g in group { h.combine(g.dimension); h.combine(g.value) }
    }
}

/// Renders an alert as the trust contact reads it: plain text, HTML (inline
/// CSS only) and the socket JSON of DESIGN §7. Pure and deterministic.
public struct AlertMessage: Sendable {
    public let content: AlertContent
    public let taxonomy: Taxonomy
    public let schoolName: String
    public let language: Language
    public let k: Int
    /// The school's contacts and corrections to the shipped advice.
    public let adviceSettings: AdviceSettings

    public init(_ content: AlertContent, taxonomy: Taxonomy, schoolName: String, language: Language, k: Int,
                advice: AdviceSettings = AdviceSettings()) {
        self.content = content
        self.taxonomy = taxonomy
        self.schoolName = schoolName
        self.language = language
        self.k = k
        self.adviceSettings = advice
    }

    var words: MessageCatalog.Words { MessageCatalog.words(language) }

    /// What, where and when: "vertrouwd: Afpersing – Hoofdgebouw, Instagram –
    /// 29 november 2026". Each alert gets its own subject, so alerts do not
    /// fold into one thread. Never a count: mail logs see subjects, and a
    /// subject shows no more than a group and a day or week (P3, P9).
    public var subject: String {
        words.alertSubject(subjectWhat, whereText, subjectWhen)
    }

    /// The categories' labels; more than three end in "e.a." / "etc.".
    var subjectWhat: String {
        let labels = categories.map { taxonomy.label($0, in: language) }
        guard labels.count > 3 else { return labels.joined(separator: ", ") }
        return labels.prefix(3).joined(separator: ", ") + " " + words.andOthers
    }

    /// "29 november 2026" for a day, "week 48 van 2026" for a week.
    var subjectWhen: String {
        let p = content.period
        if p.kind == .week, let iso = p.isoWeek { return words.weekShort(iso.week, iso.year) }
        if p.first == p.last { return "\(p.first.day) \(DateText.months[language]![p.first.month - 1]) \(p.first.year)" }
        return DateText.range(p.first, p.last, language)
    }

    /// The categories the alert is about: the group's category, or every
    /// category the rule matches.
    var categories: [String] {
        if let c = content.group.first(where: { $0.dimension == .category })?.value, !c.isEmpty { return [c] }
        return taxonomy.categories.values.filter(content.rule.matches)
    }

    public var title: String {
        let what = categories.map { taxonomy.label($0, in: language) }.joined(separator: ", ")
        return "\(what) — \(whereText)"
    }

    var whereText: String {
        let parts = content.group.filter { $0.dimension != .category }.map { label(of: $0.value, $0.dimension) }
        return parts.isEmpty ? words.wholeSchool : parts.joined(separator: ", ")
    }

    /// A group value's label; an unknown value says which dimension is unknown.
    func label(of value: String, _ dimension: Dimension) -> String {
        value.isEmpty ? "\(words.dimensions[dimension]!) \(words.unknown)" : taxonomy.label(value, in: language)
    }

    /// The footer: what the numbers count.
    var footer: String {
        content.signalsAtLeast == nil ? words.footer(k) : words.footerSignals(k)
    }

    var howManyText: String {
        if let signals = content.signalsAtLeast { return words.atLeastSignals(signals, content.atLeast) }
        guard case .rise(let weeks, let factor) = content.rule.kind else { return words.atLeast(content.atLeast) }
        return words.atLeast(content.atLeast) + ", " + words.riseNote(factor, weeks)
    }

    var whenText: String {
        let p = content.period
        switch p.kind {
        case .day: return DateText.long(p.first, language)
        case .week:
            let range = DateText.range(p.first, p.last, language)
            guard let iso = p.isoWeek else { return range }
            return words.weekOf(iso.week, iso.year, range)
        }
    }

    var advice: MessageCatalog.Advice {
        MessageCatalog.advice(for: categories.map { MessageCatalog.topic(of: $0, adviceSettings) }, language, adviceSettings)
    }

    /// The advice sections, heading and lines, in reading order.
    var adviceSections: [(String, [String])] {
        [(words.schoolAdviceHeading, advice.school), (words.pupilAdviceHeading, advice.pupils),
         (words.helpHeading, MessageCatalog.help(language, adviceSettings))]
    }

    /// The facts, label and value, in reading order.
    var facts: [(String, String)] {
        [
            (words.what, categories.map { taxonomy.label($0, in: language) }.joined(separator: ", ")),
            (words.whereLabel, whereText),
            (words.when, whenText),
            (words.howMany, howManyText),
            (words.severityLabel, words.severities[content.rule.severity]!),
            (words.ruleLabel, content.rule.name),
        ]
    }

    /// Subject, text, HTML and JSON together: what they share (the facts,
    /// the advice, the text inside the JSON) is made once. An alert release
    /// renders hundreds of these on the ingest thread.
    /// Without `html`, the HTML is "" (no recipient's route sends it).
    public func rendered(html withHTML: Bool = true) -> (subject: String, text: String, html: String, json: String) {
        let facts = self.facts, sections = adviceSections, subject = self.subject, title = self.title
        let text = text(title: title, facts: facts, sections: sections)
        let html = withHTML ? html(subject: subject, title: title, facts: facts, sections: sections) : ""
        return (subject, text, html, json(title: title, text: text))
    }

    public var text: String { text(title: title, facts: facts, sections: adviceSections) }

    func text(title: String, facts: [(String, String)], sections: [(String, [String])]) -> String {
        var lines = [title, ""]
        if content.escalation { lines += [words.escalationNote, ""] }
        let width = facts.map(\.0.count).max()! + 1
        for (label, value) in facts {
            let padded = label + ":"
            lines.append(padded + String(repeating: " ", count: max(0, width + 1 - padded.utf16.count)) + value)
        }
        for (heading, items) in sections {
            lines += ["", heading]
            lines += items.map { "- " + $0 }
        }
        lines += ["", "\(schoolName) · vertrouwd", footer]
        return lines.joined(separator: "\n") + "\n"
    }

    public var html: String { html(subject: subject, title: title, facts: facts, sections: adviceSections) }

    func html(subject: String, title: String, facts: [(String, String)], sections: [(String, [String])]) -> String {
        let e = HTMLEscape.text
        let color = content.rule.severity == .high ? "#b00020" : content.rule.severity == .medium ? "#b26a00" : "#2e6b30"
        var h = HTMLEscape.pageStart(title: subject, language: language, accent: color)
        h += "<h1 style=\"font-size:20px;margin:0 0 12px 0;\">\(e(title))</h1>\n"
        if content.escalation {
            h += "<p style=\"margin:0 0 12px 0;font-weight:bold;\">\(e(words.escalationNote))</p>\n"
        }
        h += "<table style=\"border-collapse:collapse;margin:0 0 16px 0;\">\n"
        for (label, value) in facts {
            h += "<tr><th style=\"text-align:left;padding:4px 12px 4px 0;vertical-align:top;\">\(e(label))</th>"
            h += "<td style=\"padding:4px 0;\">\(e(value))</td></tr>\n"
        }
        h += "</table>\n"
        for (heading, items) in sections {
            h += "<h2 style=\"font-size:16px;margin:16px 0 8px 0;\">\(e(heading))</h2>\n<ul style=\"margin:0;padding-left:20px;\">\n"
            h += items.map { "<li style=\"margin:0 0 6px 0;\">\(e($0))</li>\n" }.joined()
            h += "</ul>\n"
        }
        h += "<p style=\"margin:20px 0 0 0;font-size:12px;color:#555555;\">\(e(schoolName)) · vertrouwd<br>\(e(footer))</p>\n"
        h += HTMLEscape.pageEnd
        return h
    }

    /// The socket message (DESIGN §7), one line.
    public var json: String { json(title: title, text: text) }

    func json(title: String, text: String) -> String {
        let p = content.period
        var group: [(String, JSONWriter.Value)] = []
        for g in content.group {
            group.append((g.dimension.rawValue, g.value.isEmpty ? .null : .string(g.value)))
        }
        var fields: [(String, JSONWriter.Value)] = [
            ("type", .string("alert")), ("version", .int(1)), ("id", .string(content.id)),
            ("rule", .string(content.rule.name)), ("severity", .string(content.rule.severity.rawValue)),
            ("match", .array(content.rule.match.map { .string($0.text) })),
            ("window", .object([("kind", .string(p.kind.rawValue)), ("start", .string(p.first.iso)), ("end", .string(p.last.iso))])),
            ("group", .object(group)), ("at_least", .int(content.atLeast)),
        ]
        if let signals = content.signalsAtLeast { fields.append(("signals_at_least", .int(signals))) }
        fields += [("escalation", .bool(content.escalation)), ("language", .string(language.rawValue)),
                   ("title", .string(title)), ("text", .string(text))]
        return JSONWriter.render(.object(fields))
    }
}

/// HTML escaping for text and attribute values, and the page shell every
/// message shares (inline CSS only: mail clients drop style sheets).
public enum HTMLEscape {
    /// Doctype, head, body and the card the message sits in.
    public static func pageStart(title: String, language: Language, accent: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\"><title>\(text(title))</title></head>\n"
            + "<body style=\"margin:0;padding:16px;background:#f5f5f5;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;\">\n"
            + "<div style=\"max-width:640px;margin:0 auto;background:#ffffff;border-top:6px solid \(accent);padding:20px;\">\n"
    }

    public static let pageEnd = "</div>\n</body></html>\n"

    /// `s` with the five HTML specials as references. On UTF-8 bytes (all
    /// five are ASCII, and no byte of a multi-byte character is): an "&"
    /// followed by a combining mark is escaped too, which a walk over
    /// Characters missed.
    public static func text(_ s: String) -> String {
        let utf8 = s.utf8
        guard utf8.contains(where: isSpecial) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 32)
        for b in utf8 {
            switch b {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isSpecial(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
    }
}
