import VertrouwdCore

/// Reads one table of the document for the decoder: typed look-ups that
/// report wrong types at the value, and `finish()`, which hands every key
/// nobody asked for to the context as unknown.
///
/// A key whose statement failed to parse (`.invalid`) reads as absent and
/// poisons its path, so one typo yields one error.
final class TableReader {
    let table: ConfigTable
    /// The section path used for known-key bookkeeping: "privacy", "rule", "taxonomy.cohorts".
    let section: String
    /// How the section is named in messages.
    let display: String
    let context: DecodeContext
    private var used: Set<String> = []

    /// True for a section the file does not have: it reads as empty, so
    /// defaults apply and its keys are still known for "did you mean".
    let isAbsent: Bool

    init(_ table: ConfigTable, section: String, context: DecodeContext, isAbsent: Bool = false) {
        self.table = table
        self.isAbsent = isAbsent
        self.section = section
        self.display = DecodeContext.display(section: section)
        self.context = context
    }

    var position: SourcePosition { table.position }

    /// The raw value of `key`, nil when absent or unparsable. Marks the key known.
    func value(_ key: String) -> ConfigValue? {
        used.insert(key)
        context.noteKnown(key, in: section)
        guard let entry = table[key] else { return nil }
        if case .invalid = entry.value.kind {
            context.poison(path(key))
            return nil
        }
        return entry.value
    }

    /// Whether `key` is written in the table at all, valid or not.
    func has(_ key: String) -> Bool { table[key] != nil }

    func entry(_ key: String) -> ConfigTable.Entry? { table[key] }

    func path(_ key: String) -> String { section.isEmpty ? key : "\(section).\(key)" }

    /// True when the key was written but its statement failed to parse.
    func isPoisoned(_ key: String) -> Bool { context.isPoisoned(path(key)) }

    private func typeError(_ key: String, _ value: ConfigValue, expected: String, example: String? = nil) {
        var hint: String?
        if let example { hint = "for example: \(key) = \(example)" }
        context.error(at: value, "\"\(key)\" must be \(expected), not \(value.typeDescription)", hint: hint)
    }

    func string(_ key: String) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v.kind else {
            typeError(key, v, expected: "a string", example: "\"…\"")
            return nil
        }
        return s
    }

    func integer(_ key: String) -> Int64? {
        guard let v = value(key) else { return nil }
        guard case .integer(let n) = v.kind else {
            typeError(key, v, expected: "an integer")
            return nil
        }
        return n
    }

    /// An integer within `range`; outside it, an error and nil.
    func integer(_ key: String, in range: ClosedRange<Int64>) -> Int? {
        guard let n = integer(key) else { return nil }
        guard range.contains(n) else {
            context.error(at: value(key)!, "\"\(key)\" must be between \(range.lowerBound) and \(range.upperBound), not \(n)")
            return nil
        }
        return Int(n)
    }

    /// A float; an integer is accepted too (`factor = 2`).
    func number(_ key: String) -> Double? {
        guard let v = value(key) else { return nil }
        switch v.kind {
        case .float(let x): return x
        case .integer(let n): return Double(n)
        default:
            typeError(key, v, expected: "a number")
            return nil
        }
    }

    func bool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v.kind else {
            typeError(key, v, expected: "true or false")
            return nil
        }
        return b
    }

    /// An array of strings, each with its position; nil (and an error) when
    /// the value or any element has another type.
    func strings(_ key: String) -> [(text: String, value: ConfigValue)]? {
        guard let v = value(key) else { return nil }
        guard case .array(let elements) = v.kind else {
            typeError(key, v, expected: "an array of strings", example: "[\"…\", \"…\"]")
            return nil
        }
        var result: [(String, ConfigValue)] = []
        var ok = true
        for element in elements {
            if case .string(let s) = element.kind {
                result.append((s, element))
            } else {
                context.error(at: element, "\"\(key)\" must list strings; this element is \(element.typeDescription)")
                ok = false
            }
        }
        return ok ? result : nil
    }

    /// A sub-table; an error when the key holds something else.
    func table(_ key: String, section sub: String? = nil) -> TableReader? {
        guard let v = value(key) else { return nil }
        guard case .table(let t) = v.kind else {
            typeError(key, v, expected: "a table")
            return nil
        }
        return TableReader(t, section: sub ?? path(key), context: context)
    }

    /// The sections of a `[[key]]` array of tables (an array of inline
    /// tables is the same thing in TOML).
    func tableArray(_ key: String) -> [TableReader]? {
        guard let v = value(key) else { return nil }
        switch v.kind {
        case .tableArray(let tables):
            return tables.map { TableReader($0, section: path(key), context: context) }
        case .array(let elements):
            var readers: [TableReader] = []
            for element in elements {
                guard case .table(let t) = element.kind else {
                    context.error(at: element, "\"\(key)\" must be a list of [[\(key)]] sections")
                    return nil
                }
                readers.append(TableReader(t, section: path(key), context: context))
            }
            return readers
        case .table:
            context.error(at: entry(key)!.keyPosition, length: key.unicodeScalars.count,
                          "\"\(key)\" must be written as [[\(key)]], one section per \(key)")
            return nil
        default:
            typeError(key, v, expected: "a list of [[\(key)]] sections")
            return nil
        }
    }

    /// A duration string: "90s", "15m", "36h", "7d", "2w".
    func interval(_ key: String) -> Interval? {
        guard let text = string(key) else { return nil }
        guard let interval = Interval(parsing: text) else {
            context.error(at: value(key)!, "\"\(key)\" is not a duration: \"\(text)\"",
                          hint: "write a whole number and one unit: s, m, h, d or w, e.g. \"15m\" or \"7d\"")
            return nil
        }
        return interval
    }

    /// One of an enum's raw values.
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) -> E? where E.RawValue == String {
        guard let text = string(key) else { return nil }
        if let e = E(rawValue: text) { return e }
        let options = E.allCases.map(\.rawValue)
        context.error(at: value(key)!, "\"\(key)\" must be one of \(Self.list(options)), not \"\(text)\"",
                      hint: Suggestion.hint(for: text, in: options))
        return nil
    }

    /// Reports the keys nobody asked for.
    func finish() {
        for entry in table.entries where !used.contains(entry.key) {
            context.noteUnknown(entry, in: section, display: display)
        }
    }

    /// "a, b or c" (or "a, b and c"), each quoted.
    static func list(_ options: [String], conjunction: String = "or") -> String {
        let quoted = options.map { "\"\($0)\"" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
    }
}
