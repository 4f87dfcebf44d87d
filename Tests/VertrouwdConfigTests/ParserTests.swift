import Testing
@testable import VertrouwdConfig

/// Parses and expects no diagnostics.
private func parseOK(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigTable {
    let (doc, diags) = ConfigParser.parse(text)
    #expect(diags.isEmpty, "unexpected: \(render(diags))", sourceLocation: sourceLocation)
    return doc.root
}

/// Diagnostics as "line:col: message", the shape the tests compare.
private func errors(_ text: String) -> [String] {
    render(ConfigParser.parse(text).diagnostics)
}

private func render(_ diags: [Diagnostic]) -> [String] {
    diags.map { "\($0.position.map(\.description) ?? "-"): \($0.message)" }
}

private func value(_ text: String) -> ConfigValue.Kind? {
    parseOK("v = \(text)")["v"]?.value.kind
}

private func table(_ v: ConfigValue?) -> ConfigTable? {
    if case .table(let t)? = v?.kind { return t }
    return nil
}

@Suite struct ScalarValues {
    @Test func strings() {
        #expect(value(#""hello""#) == .string("hello"))
        #expect(value("'C:\\path\\x'") == .string("C:\\path\\x"))
        #expect(value(#""""#) == .string(""))
        #expect(value(#""a\tb""#) == .string("a\tb"))
    }

    @Test(arguments: [
        (#"\b"#, "\u{08}"), (#"\t"#, "\t"), (#"\n"#, "\n"), (#"\f"#, "\u{0C}"), (#"\r"#, "\r"),
        (#"\""#, "\""), (#"\\"#, "\\"), (#"\u00E9"#, "é"), (#"\U0001F600"#, "😀"),
    ])
    func escapes(escape: String, expected: String) {
        #expect(value("\"x\(escape)y\"") == .string("x\(expected)y"))
    }

    @Test func integers() {
        #expect(value("42") == .integer(42))
        #expect(value("+17") == .integer(17))
        #expect(value("-5") == .integer(-5))
        #expect(value("0") == .integer(0))
        #expect(value("-0") == .integer(0))
        #expect(value("1_000_000") == .integer(1_000_000))
        #expect(value("0xDEAD_beef") == .integer(0xDEAD_BEEF))
        #expect(value("0o755") == .integer(0o755))
        #expect(value("0b1101") == .integer(13))
        #expect(value("0x00ff") == .integer(255))
        #expect(value("9223372036854775807") == .integer(.max))
        #expect(value("-9223372036854775808") == .integer(.min))
        #expect(value("0x7FFFFFFFFFFFFFFF") == .integer(.max))
    }

    @Test func floats() {
        #expect(value("1.0") == .float(1.0))
        #expect(value("-0.5") == .float(-0.5))
        #expect(value("1e3") == .float(1000))
        #expect(value("6.02E+23") == .float(6.02e23))
        #expect(value("1_000.5") == .float(1000.5))
        #expect(value("5e-324") == .float(5e-324))
        #expect(value("+1.5e-3") == .float(0.0015))
        if case .float(let z)? = value("-0.0") { #expect(z.sign == .minus) } else { Issue.record("not a float") }
    }

    @Test func booleans() {
        #expect(value("true") == .bool(true))
        #expect(value("false") == .bool(false))
    }

    @Test func positionsAndLengths() {
        let root = parseOK("\n  name = \"abc\"  # comment\n")
        let entry = root["name"]
        #expect(entry?.keyPosition == SourcePosition(line: 2, column: 3))
        #expect(entry?.value.position == SourcePosition(line: 2, column: 10))
        #expect(entry?.value.length == 5)
    }
}

@Suite struct Structure {
    @Test func dottedAndQuotedKeys() {
        let root = parseOK("""
            a.b = 1
            a . c = 2
            "klas-1" = "x"
            'lit key' = 3
            "a.b" = 4
            """)
        let a = table(root["a"]?.value)
        #expect(a?["b"]?.value.kind == .integer(1))
        #expect(a?["c"]?.value.kind == .integer(2))
        #expect(a?.origin == .dotted)
        #expect(root["klas-1"]?.value.kind == .string("x"))
        #expect(root["lit key"]?.value.kind == .integer(3))
        #expect(root["a.b"]?.value.kind == .integer(4))
    }

    @Test func arraysSpanningLines() {
        let root = parseOK("""
            categories = [  # the list
              "grooming",   # first
              # a comment line
              "distress",
              [1, 2.5],
            ]
            empty = []
            mixed = [1, "a", true]
            """)
        guard case .array(let items)? = root["categories"]?.value.kind else {
            Issue.record("not an array")
            return
        }
        #expect(items.count == 3)
        #expect(items[0].kind == .string("grooming"))
        #expect(items[1].position == SourcePosition(line: 4, column: 3))
        #expect(root["empty"]?.value.kind == .array([]))
    }

    @Test func inlineTables() {
        let root = parseOK(#"point = { x = 1, y = "b", z.w = true, n = {} }"#)
        let point = table(root["point"]?.value)
        #expect(point?.origin == .inline)
        #expect(point?["x"]?.value.kind == .integer(1))
        #expect(point?["y"]?.value.kind == .string("b"))
        #expect(table(point?["z"]?.value)?["w"]?.value.kind == .bool(true))
        #expect(table(point?["n"]?.value)?.entries.isEmpty == true)
    }

    @Test func tablesAndHeaders() {
        let root = parseOK("""
            [ taxonomy . cohorts ]
            "klas-1" = "onderbouw"
            [taxonomy]
            sites = ["a"]
            """)
        let taxonomy = table(root["taxonomy"]?.value)
        #expect(taxonomy?.origin == .header)
        #expect(taxonomy?.position == SourcePosition(line: 3, column: 1))
        let cohorts = table(taxonomy?["cohorts"]?.value)
        #expect(cohorts?.position == SourcePosition(line: 1, column: 1))
        #expect(taxonomy?["cohorts"]?.keyPosition == SourcePosition(line: 1, column: 14))
        #expect(cohorts?["klas-1"]?.value.kind == .string("onderbouw"))
    }

    @Test func arrayOfTablesWithSubTables() {
        let root = parseOK("""
            [[rule]]
            name = "a"
            [rule.limits]
            max = 1
            [[rule]]
            name = "b"
            [rule.limits]
            max = 2
            """)
        guard case .tableArray(let rules)? = root["rule"]?.value.kind else {
            Issue.record("not an array of tables")
            return
        }
        #expect(rules.count == 2)
        #expect(rules[1]["name"]?.value.kind == .string("b"))
        #expect(table(rules[1]["limits"]?.value)?["max"]?.value.kind == .integer(2))
        #expect(rules[0].position == SourcePosition(line: 1, column: 1))
    }

    @Test func subTablesOfDottedTables() {
        let root = parseOK("""
            [fruit]
            apple.color = "red"
            [fruit.apple.texture]
            smooth = true
            """)
        let apple = table(table(root["fruit"]?.value)?["apple"]?.value)
        #expect(table(apple?["texture"]?.value)?["smooth"]?.value.kind == .bool(true))
    }

    @Test func bytesEntryPoint() {
        let (doc, diags) = ConfigParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a = 1\r\n".utf8))
        #expect(diags.isEmpty)
        #expect(doc.root["a"]?.keyPosition == SourcePosition(line: 1, column: 1))
        let bad = ConfigParser.parse(bytes: Array("a = 1\nbé = \"".utf8) + [0xFF, 0x22])
        #expect(render(bad.diagnostics) == ["2:7: invalid UTF-8"])
        #expect(bad.document.root.entries.isEmpty)
        #expect(bad.document.hasUnattributedStatements)
    }

    @Test func textWithBOMAndCRLF() {
        let root = parseOK("\u{FEFF}a = 1\r\nb = 'x'\r\n")
        #expect(root["b"]?.keyPosition == SourcePosition(line: 2, column: 1))
    }
}
