/// What the decoder carries while it walks a document: the diagnostics so
/// far, which keys failed to parse (so checks that depend on them stay
/// quiet), and the unknown keys, reported last, once every section's known
/// keys are known and a misplaced key can be pointed to its section.
final class DecodeContext {
    private(set) var diagnostics: [Diagnostic] = []
    /// Key paths ("privacy.min_group_size") whose statement had a syntax error.
    private(set) var poisoned: Set<String> = []
    /// True when the parser met statements it could not attach to a table;
    /// any required key may be among them.
    let quietAboutMissing: Bool

    private var knownKeys: [String: Set<String>] = [:]
    private var unknown: [(section: String, display: String, entry: ConfigTable.Entry)] = []

    init(quietAboutMissing: Bool) {
        self.quietAboutMissing = quietAboutMissing
    }

    func error(at position: SourcePosition?, length: Int = 1, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(at: position, length: length, message, hint: hint))
    }

    func warning(at position: SourcePosition?, length: Int = 1, _ message: String, hint: String? = nil) {
        diagnostics.append(.warning(at: position, length: length, message, hint: hint))
    }

    func error(at value: ConfigValue, _ message: String, hint: String? = nil) {
        error(at: value.position, length: value.length, message, hint: hint)
    }

    func poison(_ path: String) { poisoned.insert(path) }

    func isPoisoned(_ path: String) -> Bool { poisoned.contains(path) }

    func noteKnown(_ key: String, in section: String) {
        knownKeys[section, default: []].insert(key)
    }

    func noteUnknown(_ entry: ConfigTable.Entry, in section: String, display: String) {
        unknown.append((section, display, entry))
    }

    /// Reports every unknown key, with the nearest known key of its own
    /// section or, failing that, the section where the key does belong.
    func reportUnknownKeys() {
        for (section, display, entry) in unknown {
            let here = knownKeys[section] ?? []
            var hint = Suggestion.hint(for: entry.key, in: here.sorted())
            if hint == nil {
                let elsewhere = knownKeys.filter { $0.key != section && $0.value.contains(entry.key) }
                    .map(\.key).sorted()
                if let home = elsewhere.first {
                    hint = "\"\(entry.key)\" belongs in \(Self.display(section: home))"
                }
            }
            var what = "unknown key \"\(entry.key)\" in \(display)"
            switch entry.value.kind {
            case .table(let t) where t.origin != .inline:
                let name = section.isEmpty ? entry.key : "\(section).\(entry.key)"
                what = "unknown section [\(name)]"
            case .tableArray:
                let name = section.isEmpty ? entry.key : "\(section).\(entry.key)"
                what = "unknown section [[\(name)]]"
            default: break
            }
            error(at: entry.keyPosition, length: entry.key.unicodeScalars.count, what, hint: hint)
        }
        unknown.removeAll()
    }

    /// How a section path is shown to the admin: "[privacy]", "[[rule]]", "the top level".
    static func display(section: String) -> String {
        switch section {
        case "": "the top level"
        case "source", "rule", "recipient", "adapter": "[[\(section)]]"
        default: "[\(section)]"
        }
    }
}
