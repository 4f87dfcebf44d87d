/// Prints diagnostics the way compilers do, so that editors and admins can
/// jump to them:
///
///     vertrouwd.toml:12:1: error: unknown key "min_group_sise" in [privacy]
///         min_group_sise = 5
///         ^~~~~~~~~~~~~~
///         hint: did you mean "min_group_size"?
///
/// A diagnostic without a position prints as `FILE: error: message`.
public enum DiagnosticRenderer {
    public static func render(_ diagnostics: [Diagnostic], file: String, source: String) -> String {
        let lines = sourceLines(source)
        var out = ""
        for d in sorted(diagnostics) {
            let message = visible(d.message)
            let hint = d.hint.map { visible($0, keepingNewlines: true) }
            guard let position = d.position else {
                out += "\(file): \(d.severity.rawValue): \(message)\n"
                if let hint { out += "    hint: \(hint)\n" }
                continue
            }
            out += "\(file):\(position.line):\(position.column): \(d.severity.rawValue): \(message)\n"
            if position.line >= 1, position.line <= lines.count {
                // Tabs become single spaces so the caret lines up in any
                // terminal; other control characters become "?", so a config
                // file cannot send escape sequences to the admin's terminal.
                let text = lines[position.line - 1].map { $0 == "\t" ? " " : isControl($0) ? "?" : $0 }
                let start = min(max(position.column - 1, 0), text.count)
                let width = max(1, min(d.length, text.count - start))
                out += "    " + String(String.UnicodeScalarView(text)) + "\n"
                out += "    " + String(repeating: " ", count: start) + "^"
                    + String(repeating: "~", count: width - 1) + "\n"
            }
            if let hint { out += "    hint: \(hint)\n" }
        }
        return out
    }

    /// Control characters (C0, DEL, C1) replaced by "?".
    static func visible(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            scalars.append(isControl(s) && !(keepingNewlines && s == "\n") ? "?" : s)
        }
        return String(scalars)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value)
    }

    /// Diagnostics in reading order: file-level first, then by position.
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            switch (a.element.position, b.element.position) {
            case (nil, nil): a.offset < b.offset
            case (nil, _): true
            case (_, nil): false
            case let (pa?, pb?): pa == pb ? a.offset < b.offset : pa < pb
            }
        }.map(\.element)
    }

    /// The source split into lines of Unicode scalars, accepting \n and \r\n.
    static func sourceLines(_ source: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = [[]]
        for scalar in source.unicodeScalars {
            if scalar == "\n" {
                if lines[lines.count - 1].last == "\r" { lines[lines.count - 1].removeLast() }
                lines.append([])
            } else {
                lines[lines.count - 1].append(scalar)
            }
        }
        return lines
    }
}
