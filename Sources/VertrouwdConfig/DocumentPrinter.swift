import VertrouwdCore

/// Prints a `ConfigDocument` as canonical text in the config subset.
///
/// Each table prints as a `[header]` section (after the plain values of its
/// parent), each element of an array of tables as `[[header]]`, and tables
/// inside arrays as inline tables. Strings print as basic strings with
/// escapes, floats in Swift's shortest form that reads back exactly.
///
/// Guarantee: for a document without `.invalid` values, non-finite floats or
/// empty arrays of tables (none of which the parser produces without an
/// error), `ConfigParser.parse(print(doc))` is structurally equal to `doc`.
public enum DocumentPrinter {
    /// Canonical text for `document`; `.invalid` values are left out.
    public static func print(_ document: ConfigDocument) -> String {
        var out = ""
        printSection(document.root, path: [], into: &out)
        return out
    }

    private static func printSection(_ table: ConfigTable, path: [String], into out: inout String) {
        for entry in table.entries {
            switch entry.value.kind {
            case .table, .tableArray, .invalid: continue
            default: out += "\(key(entry.key)) = \(value(entry.value))\n"
            }
        }
        for entry in table.entries {
            let sub = path + [entry.key]
            let header = sub.map(key).joined(separator: ".")
            switch entry.value.kind {
            case .table(let t):
                out += "\n[\(header)]\n"
                printSection(t, path: sub, into: &out)
            case .tableArray(let elements):
                for element in elements {
                    out += "\n[[\(header)]]\n"
                    printSection(element, path: sub, into: &out)
                }
            default: continue
            }
        }
    }

    /// A key, bare when TOML allows it, else as a basic string.
    static func key(_ name: String) -> String {
        let bare = !name.isEmpty && name.unicodeScalars.allSatisfy(\.isBareKeyCharacter)
        return bare ? name : quoted(name)
    }

    static func value(_ v: ConfigValue) -> String {
        switch v.kind {
        case .string(let s): quoted(s)
        case .integer(let i): String(i)
        case .float(let d): float(d)
        case .bool(let b): b ? "true" : "false"
        case .array(let items): "[" + items.map(value).joined(separator: ", ") + "]"
        case .table(let t): inline(t)
        // Only reachable for hand-built documents: inside a value there is
        // no header to attach `[[…]]` to, so the elements go inline.
        case .tableArray(let ts): "[" + ts.map(inline).joined(separator: ", ") + "]"
        case .invalid: "\"\""
        }
    }

    private static func inline(_ t: ConfigTable) -> String {
        let parts = t.entries.compactMap { e -> String? in
            if case .invalid = e.value.kind { return nil }
            return "\(key(e.key)) = \(value(e.value))"
        }
        return parts.isEmpty ? "{}" : "{ " + parts.joined(separator: ", ") + " }"
    }

    /// Swift's `description` is the shortest text that reads back to the same
    /// bits, and its forms (`1.0`, `-0.0`, `1e+20`, `5e-324`) are all TOML
    /// floats: there is always a `.` or an `e`, and never a leading zero.
    static func float(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "nan" : (d < 0 ? "-inf" : "inf") }
        return d.description
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if c.isForbiddenControl {
                    out += "\\u" + Hex.padded(c.value, width: 4, uppercase: true)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
