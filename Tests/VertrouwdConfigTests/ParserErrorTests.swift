import Testing
@testable import VertrouwdConfig

/// Diagnostics as "line:col: message".
private func errors(_ text: String) -> [String] {
    ConfigParser.parse(text).diagnostics.map { "\($0.position.map(\.description) ?? "-"): \($0.message)" }
}

private func only(_ text: String) -> Diagnostic? {
    let diags = ConfigParser.parse(text).diagnostics
    #expect(diags.count == 1, "\(diags)")
    return diags.first
}

@Suite struct ValueErrors {
    @Test(arguments: [
        ("a = 9223372036854775808", "1:5: integer \"9223372036854775808\" does not fit in 64 bits"),
        ("a = -9223372036854775809", "1:5: integer \"-9223372036854775809\" does not fit in 64 bits"),
        ("a = 0x8000000000000000", "1:5: integer \"0x8000000000000000\" does not fit in 64 bits"),
        ("a = 0123", "1:5: leading zeros are not allowed"),
        ("a = 01.5", "1:5: leading zeros are not allowed"),
        ("a = 1__000", "1:5: \"_\" is only allowed between digits"),
        ("a = _1", "1:5: expected a value, found bare word \"_1\""),
        ("a = 1_", "1:5: \"_\" is only allowed between digits"),
        ("a = 1._5", "1:5: \"_\" is only allowed between digits"),
        ("a = -0x10", "1:5: invalid number \"-0x10\""),
        ("a = 0xG", "1:5: invalid number \"0xG\""),
        ("a = 1.", "1:5: invalid number \"1.\""),
        ("a = .5", "1:5: invalid number \".5\""),
        ("a = 1e", "1:5: invalid number \"1e\""),
        ("a = 1e400", "1:5: float \"1e400\" is out of range"),
        ("a = inf", "1:5: inf and nan are not supported"),
        ("a = -nan", "1:5: inf and nan are not supported"),
        ("a = 1979-05-27", "1:5: dates and times are not supported; write it as a string, e.g. \"1979-05-27\""),
        ("a = 07:32:00", "1:5: dates and times are not supported; write it as a string, e.g. \"07:32:00\""),
        ("a = 1979-05-27T07:32:00Z", "1:5: dates and times are not supported; write it as a string, e.g. \"1979-05-27T07:32:00Z\""),
        ("a = 1979-05-27 07:32:00", "1:5: dates and times are not supported; write it as a string, e.g. \"1979-05-27 07:32:00\""),
        ("a = \"\"\"x\"\"\"", "1:5: multi-line strings are not supported"),
        ("a = '''x'''", "1:5: multi-line strings are not supported"),
        ("a = \"abc", "1:5: unterminated string"),
        ("a = 'abc", "1:5: unterminated string"),
        ("a = \"a\\qb\"", "1:7: invalid escape sequence \"\\q\""),
        ("a = \"\\uD800\"", "1:6: \"\\uD800\" is not a unicode scalar value"),
        ("a = \"\\u12\"", "1:6: \"\\u\" needs 4 hex digits"),
        ("a = \"a\u{01}b\"", "1:7: control character U+0001 is not allowed in a string"),
        ("a = 'a\u{7F}'", "1:7: control character U+007F is not allowed in a string"),
        ("a = ", "1:5: expected a value, found the end of the file"),
        ("a = @", "1:5: expected a value, found \"@\""),
        ("a = 1 2", "1:7: expected a newline after the value"),
        ("a = \"x\" \"y\"", "1:9: expected a newline after the value"),
        ("a = 1 # ok\u{00}", "1:11: control character U+0000 is not allowed in a comment"),
        ("a = 1\rb = 2", "1:6: carriage return without a newline"),
    ])
    func valueError(text: String, expected: String) {
        #expect(errors(text) == [expected])
    }

    @Test func bareWordHint() {
        let d = only("mode = smtp")
        #expect(d?.message == "expected a value, found bare word \"smtp\"")
        #expect(d?.hint == "strings need quotes: \"smtp\"")
        #expect(d?.position == SourcePosition(line: 1, column: 8))
        #expect(d?.length == 4)
    }

    @Test func failedValueStillRecordsItsKey() {
        let (doc, diags) = ConfigParser.parse("mode = smtp\nname = \"x\"")
        #expect(diags.count == 1)
        #expect(doc.root["mode"]?.value.kind == .invalid)
        #expect(doc.root["name"]?.value.kind == .string("x"))
        #expect(!doc.hasUnattributedStatements)
    }
}

@Suite struct StatementErrors {
    @Test(arguments: [
        ("name \"x\"", "1:6: expected \"=\" after key \"name\""),
        ("name", "1:5: expected \"=\" after key \"name\""),
        ("= 1", "1:1: expected a key, found \"=\""),
        ("a. = 1", "1:4: expected a key, found \"=\""),
        ("[]", "1:2: expected a table name"),
        ("[a", "1:3: expected \"]\" to close the table header"),
        ("[[a]", "1:4: expected \"]]\" to close the array of tables header"),
        ("[a] x = 1", "1:5: expected a newline after the table header"),
        ("a = [1, 2", "1:5: array opened here is never closed"),
        ("a = [1 2]", "1:8: expected \",\" or \"]\" in array"),
        ("a = { x = 1", "1:5: inline table opened here is never closed"),
        ("a = { x = 1, }", "1:12: trailing comma is not allowed in an inline table"),
        ("a = { x = 1 y = 2 }", "1:13: expected \",\" or \"}\" in inline table"),
        ("a = { x = 1, x = 2 }", "1:14: duplicate key \"x\""),
    ])
    func statementError(text: String, expected: String) {
        #expect(errors(text) == [expected])
    }

    @Test func unclosedArrayResumesAtNextStatement() {
        let (doc, diags) = ConfigParser.parse("""
            categories = ["a", "b"
            sites = ["x"]
            """)
        #expect(diags.map(\.message) == ["array opened here is never closed"])
        #expect(diags.first?.position == SourcePosition(line: 1, column: 14))
        #expect(doc.root["sites"]?.value.kind == .array([ConfigValue(.string("x"), at: SourcePosition(line: 2, column: 10), length: 3)]))
        #expect(doc.root["categories"]?.value.kind == .invalid)
    }

    @Test func unclosedArrayAfterCommaResumes() {
        let text = "a = [\n  1,\n  2,\n[server]\nport = 1\n"
        #expect(errors(text) == ["1:5: array opened here is never closed"])
        #expect(ConfigParser.parse(text).document.root["server"] != nil)
    }

    @Test func errorInsideMultiLineArraySkipsTheRestOfIt() {
        let text = """
            a = [
              "x\\q",
              "y",
            ]
            b = 1
            """
        let (doc, diags) = ConfigParser.parse(text)
        #expect(diags.map { "\($0.position!): \($0.message)" } == ["2:5: invalid escape sequence \"\\q\""])
        #expect(doc.root["b"]?.value.kind == .integer(1))
    }

    @Test func missingCommaInMultiLineArrayGivesOneError() {
        let text = "x = [\n  1,\n  2\n  3\n]\ny = 2"
        #expect(errors(text) == ["4:3: expected \",\" or \"]\" in array"])
        #expect(ConfigParser.parse(text).document.root["y"]?.value.kind == .integer(2))
    }

    @Test func unterminatedStringEndingInBackslashPointsAtTheQuote() {
        #expect(errors("k = \"a\\") == ["1:5: unterminated string"])
    }

    @Test func brokenHeaderSkipsItsSection() {
        let text = """
            [school
            name = "x"
            [spool]
            path = "/tmp"
            """
        let (doc, diags) = ConfigParser.parse(text)
        #expect(diags.count == 1)
        #expect(doc.hasUnattributedStatements)
        #expect(doc.root["school"] == nil)
        #expect(doc.root["spool"] != nil)
    }

    @Test func deepNestingIsCapped() {
        let deep = "a = " + String(repeating: "[", count: 10_000)
        #expect(errors(deep) == ["1:70: nesting is too deep (more than 64 levels)"])
        #expect(errors(String(repeating: "[", count: 10_000)) == ["1:3: expected a table name"])
        let longKey = Array(repeating: "k", count: 100).joined(separator: ".") + " = 1"
        #expect(errors(longKey) == ["1:129: key has too many parts (more than 64)"])
    }

    @Test func veryLongLinesStayLinear() {
        let wide = "a = [" + String(repeating: "[], ", count: 50_000) + "]\nb = \"" + String(repeating: "x", count: 200_000) + "\""
        let (doc, diags) = ConfigParser.parse(wide)
        #expect(diags.isEmpty)
        #expect(doc.root["b"] != nil)
    }

    @Test func nulAndLoneCarriageReturn() {
        #expect(errors("\u{00}") == ["1:1: expected a key, found U+0000"])
        #expect(errors("a = 1\r") == ["1:6: carriage return without a newline"])
        #expect(errors("\rb = 1\nc = 2") == ["1:1: carriage return without a newline"])
        #expect(errors("a = \"x\u{0}\"") == ["1:7: control character U+0000 is not allowed in a string"])
    }

    @Test func severalErrorsAreAllReported() {
        let text = """
            [school]
            name = Voorbeeld
            timezone "Europe/Amsterdam"
            language = "nl"

            [spool]
            max_file_bytes = 1_048_576_
            rescan = "60s"
            rescan = "30s"
            when = 1979-05-27
            ok = true
            """
        #expect(errors(text) == [
            "2:8: expected a value, found bare word \"Voorbeeld\"",
            "3:10: expected \"=\" after key \"timezone\"",
            "7:18: \"_\" is only allowed between digits",
            "9:1: duplicate key \"rescan\"",
            "10:8: dates and times are not supported; write it as a string, e.g. \"1979-05-27\"",
        ])
        let (doc, _) = ConfigParser.parse(text)
        guard case .table(let spool)? = doc.root["spool"]?.value.kind else {
            Issue.record("no spool")
            return
        }
        #expect(spool["ok"]?.value.kind == .bool(true))
        #expect(spool["max_file_bytes"]?.value.kind == .invalid)
    }
}

@Suite struct TableRuleErrors {
    @Test(arguments: [
        ("x = 1\nx = 2", "2:1: duplicate key \"x\"", "first defined on line 1"),
        ("a.b = 1\na.b = 2", "2:3: duplicate key \"a.b\"", "first defined on line 1"),
        ("[a]\n[a]", "2:2: table \"a\" is defined twice", "first defined on line 1"),
        ("[a.b]\n[a]\n[a]", "3:2: table \"a\" is defined twice", "first defined on line 2"),
        ("a.b = 1\n[a]", "2:2: table \"a\" is already defined by dotted keys", "first defined on line 1"),
        ("a = {x = 1}\n[a.b]", "2:2: cannot extend inline table \"a\"", "first defined on line 1"),
        ("a = {x = 1}\na.y = 2", "2:1: cannot extend inline table \"a\"", "first defined on line 1"),
        ("a = 1\n[[a]]", "2:3: cannot define array of tables \"a\": it is already an integer", "first defined on line 1"),
        ("a = [1]\n[[a]]", "2:3: cannot define array of tables \"a\": it is already an array", "first defined on line 1"),
        ("[a]\n[[a]]", "2:3: cannot define array of tables \"a\": it is already a table", "first defined on line 1"),
        ("[[a]]\n[a]", "2:2: table \"a\" is already an array of tables", "use [[a]] to add an element"),
        ("a = 1\n[a.b]", "2:2: cannot define \"a.b\": \"a\" is already an integer", "first defined on line 1"),
        ("a = \"s\"\na.b = 1", "2:1: cannot define \"a.b\": \"a\" is already a string", "first defined on line 1"),
        ("[a.b]\n[a]\nb.c = 1", "3:1: cannot add to table \"b\" with a dotted key; it is defined by a table header", "first defined on line 1"),
    ])
    func ruleError(text: String, message: String, hint: String) {
        let diags = ConfigParser.parse(text).diagnostics
        #expect(diags.map { "\($0.position!): \($0.message)" } == [message])
        #expect(diags.first?.hint == hint)
    }

    @Test func keysAfterARejectedHeaderAreNotReportedAgain() {
        #expect(errors("[a]\nx = 1\n[a]\nx = 2\n") == ["3:2: table \"a\" is defined twice"])
    }

    @Test func multiLineArraysAfterARejectedHeaderAreReadWhole() {
        let text = "[a]\nx = 1\n[a]\ny = [\n  [1],\n]\nz = bad\n[b]\nw = 1\n"
        let (doc, diags) = ConfigParser.parse(text)
        #expect(diags.map { "\($0.position!): \($0.message)" } == [
            "3:2: table \"a\" is defined twice",
            "7:5: expected a value, found bare word \"bad\"",
        ])
        #expect(doc.hasUnattributedStatements)
        #expect(doc.root["b"] != nil)
    }

    @Test func anInvalidValueCausesNoSecondError() {
        #expect(errors("a = bad\na = 1\n[a.b]\n") == ["1:5: expected a value, found bare word \"bad\""])
    }
}
