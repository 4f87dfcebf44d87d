/// A rule's definition as the alert log keeps it (issue 13, finding 7):
/// one canonical, versioned line of text with everything that decides which
/// pupils an alert counts and what its silence means — the kind (a
/// threshold's window; a rise rule's baseline_weeks, factor and
/// min_baseline_weeks), the match patterns, group_by and min_count.
///
/// Each alert-log entry stores the definition of the rule that decided it,
/// at that moment, so that a reload that deletes or changes the rule
/// forgets nothing already said: the weekly summary's disclosure check
/// places the entry with its own definition, not with whatever rule has
/// that name today. Two entries of one name under different definitions
/// are different alerts.
///
/// Not part of it: the name (the log row has it) and the severity (it
/// decides the alert's wording, not which pupils it counts); a change of
/// severity alone keeps the definition.
///
/// Form, version 1 (fields in this order, separated by ";"):
///
///     v1;threshold;window=week;match=2:grooming,sextortion.*;group_by=1:site;min_count=5
///     v1;rise;baseline_weeks=6;factor=2.5;min_baseline_weeks=3;match=1:grooming;group_by=0:;min_count=5
///
/// A list is its length, ":", then its items joined by ","; an item's bytes
/// outside `[A-Za-z0-9._*-]` are written as "%XX". `decode` reads exactly
/// the form `encode` writes (it re-encodes and compares), nothing else, so
/// the stored text of one definition is always the same. Pure.
public enum RuleDefinition {
    /// The form's version, its first field ("v1").
    public static let version = 1

    /// Each rule's definition by name: what the ledger stores with the
    /// alerts the rules decide.
    public static func byName(_ rules: [Rule]) -> [String: String] {
        Dictionary(rules.map { ($0.name, encode($0)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The canonical text of `rule`'s definition.
    public static func encode(_ rule: Rule) -> String {
        var fields = ["v\(version)"]
        switch rule.kind {
        case .threshold(let window):
            fields += ["threshold", "window=\(window.rawValue)"]
        case .rise(let baselineWeeks, let factor):
            fields += ["rise", "baseline_weeks=\(baselineWeeks)", "factor=\(factor)",
                       "min_baseline_weeks=\(rule.minBaselineWeeks)"]
        }
        fields.append("match=" + list(rule.match.map(\.text)))
        fields.append("group_by=" + list(rule.groupBy.map(\.rawValue)))
        fields.append("min_count=\(rule.minCount)")
        return fields.joined(separator: ";")
    }

    /// The rule a stored definition describes, named `name` (the log
    /// row's), with `severity` (not part of a definition).
    ///
    /// Throws when `text` is not a form `encode` writes: another version,
    /// a field missing or out of order, a number that is not canonical, a
    /// factor that is not a finite positive number.
    public static func decode(_ text: String, name: String, severity: Severity = .medium) throws(RuleDefinitionError) -> Rule {
        let fields = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard let first = fields.first, first.hasPrefix("v") else { throw .notADefinition }
        guard first == "v\(version)" else { throw .unknownVersion }
        var rest = fields.dropFirst()
        func take(_ key: String) throws(RuleDefinitionError) -> String {
            guard let field = rest.popFirst(), field.hasPrefix(key + "=") else { throw .missingField(key) }
            return String(field.dropFirst(key.count + 1))
        }
        func integer(_ key: String) throws(RuleDefinitionError) -> Int {
            let text = try take(key)
            guard let n = Int(text) else { throw .badValue(key) }
            return n
        }
        let kind: Rule.Kind
        var minBaselineWeeks = Rule.defaultMinBaselineWeeks
        switch rest.popFirst() {
        case "threshold":
            guard let window = WindowKind(rawValue: try take("window")) else { throw .badValue("window") }
            kind = .threshold(window: window)
        case "rise":
            let baseline = try integer("baseline_weeks")
            guard let factor = Double(try take("factor")), factor.isFinite, factor > 0 else { throw .badValue("factor") }
            minBaselineWeeks = try integer("min_baseline_weeks")
            kind = .rise(baselineWeeks: baseline, factor: factor)
        default:
            throw .missingField("kind")
        }
        let match = try items(try take("match"), "match").map(CategoryPattern.init)
        var groupBy: [Dimension] = []
        for item in try items(try take("group_by"), "group_by") {
            guard let d = Dimension(rawValue: item) else { throw .badValue("group_by") }
            groupBy.append(d)
        }
        let minCount = try integer("min_count")
        guard rest.isEmpty else { throw .notCanonical }
        let rule = Rule(name: name, kind: kind, match: match, minCount: minCount, groupBy: groupBy,
                        severity: severity, minBaselineWeeks: minBaselineWeeks)
        guard encode(rule) == text else { throw .notCanonical }
        return rule
    }

    // MARK: Lists

    private static func list(_ items: [String]) -> String {
        "\(items.count):" + items.map(escape).joined(separator: ",")
    }

    private static func items(_ text: String, _ key: String) throws(RuleDefinitionError) -> [String] {
        guard let colon = text.firstIndex(of: ":"), let count = Int(text[..<colon]), count >= 0 else {
            throw .badValue(key)
        }
        let body = text[text.index(after: colon)...]
        if count == 0 {
            guard body.isEmpty else { throw .badValue(key) }
            return []
        }
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == count else { throw .badValue(key) }
        var result: [String] = []
        for part in parts {
            guard let item = unescape(part) else { throw .badValue(key) }
            result.append(item)
        }
        return result
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "*"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static func escape(_ item: String) -> String {
        var out = ""
        for byte in item.utf8 {
            if isPlain(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// nil when `text` has a "%" not followed by two hex digits, or its
    /// bytes are not UTF-8 (`decode`'s re-encoding rejects the rest).
    private static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let hi = utf8.next().flatMap(hexValue), let lo = utf8.next().flatMap(hexValue) else { return nil }
            bytes.append(hi << 4 | lo)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a stored rule definition could not be read.
public enum RuleDefinitionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// It does not start with a version ("v1").
    case notADefinition
    /// A version this vertrouwd does not know (written by a newer one).
    case unknownVersion
    /// A field is missing or out of place.
    case missingField(String)
    /// A field's value is not one `encode` writes.
    case badValue(String)
    /// Readable, but not the canonical text of what it says.
    case notCanonical

    public var description: String {
        switch self {
        case .notADefinition: "not a rule definition"
        case .unknownVersion: "a rule definition of a version this vertrouwd does not know"
        case .missingField(let f): "a rule definition without \"\(f)\" in its place"
        case .badValue(let f): "a rule definition with an unreadable \"\(f)\""
        case .notCanonical: "a rule definition not in its canonical form"
        }
    }
}

/// An alert-log entry as the weekly summary reads it (the ledger): its key
/// and the rule that decided it, read from the entry's stored definition.
public struct LoggedAlert: Hashable, Sendable {
    public var key: AlertKey
    /// The deciding rule as it was then; nil for an entry logged before
    /// the ledger kept definitions (store schema v4).
    public var rule: Rule?

    public init(key: AlertKey, rule: Rule?) {
        self.key = key
        self.rule = rule
    }

    /// The rule that places this entry: its own, or — for an entry from
    /// before v4 — the current config's rule of that name; nil when that
    /// is gone too (such an entry can no longer be placed, and is left out
    /// as before the ledger).
    public func placingRule(in rules: [Rule]) -> Rule? {
        rule ?? rules.first { $0.name == key.rule }
    }
}
