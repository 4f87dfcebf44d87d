import Testing
@testable import VertrouwdConfig

@Suite struct SuggestionTests {
    @Test func typosFindTheirKey() {
        let keys = ["min_group_size", "round_to"]
        #expect(Suggestion.closest(to: "min_group_sise", in: keys) == "min_group_size")
        #expect(Suggestion.closest(to: "min_gruop_size", in: keys) == "min_group_size", "a swapped pair is one edit")
        #expect(Suggestion.closest(to: "round", in: keys) == nil, "too far off to guess")
        #expect(Suggestion.closest(to: "ROUND_TO", in: keys) == "round_to")
    }

    @Test func distanceIsSymmetricAndZeroOnlyForEqualStrings() {
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.distance("sitting", "kitten") == 3)
        #expect(Suggestion.distance("", "abc") == 3)
        #expect(Suggestion.distance("abc", "abc") == 0)
        #expect(Suggestion.distance("ab", "ba") == 1)
    }
}

@Suite struct DiagnosticRendererTests {
    @Test func controlCharactersNeverReachTheTerminal() {
        let source = "name = \"a\u{1B}[31mb\"\n"
        let d = Diagnostic.error(at: SourcePosition(line: 1, column: 8), length: 3, "bad \"\u{1B}[31m\"", hint: "x\u{7}y\nz")
        let out = DiagnosticRenderer.render([d], file: "f.toml", source: source)
        #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(out == """
            f.toml:1:8: error: bad "?[31m"
                name = "a?[31mb"
                       ^~~
                hint: x?y
            z

            """)
    }

    @Test func tabsAndCRLFKeepTheCaretInPlace() {
        let source = "a = 1\r\n\tkey = x\r\n"
        let d = Diagnostic.error(at: SourcePosition(line: 2, column: 8), length: 1, "m")
        #expect(DiagnosticRenderer.render([d], file: "f", source: source) == "f:2:8: error: m\n     key = x\n           ^\n")
    }

    @Test func fileLevelDiagnosticsComeFirst() {
        let a = Diagnostic.error(at: SourcePosition(line: 1, column: 1), "a")
        let b = Diagnostic.error(at: nil, "b")
        #expect(DiagnosticRenderer.sorted([a, b]).map(\.message) == ["b", "a"])
    }
}
