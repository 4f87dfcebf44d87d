/// A syntax error that ends the statement being parsed: the diagnostic to
/// report and, when known, where parsing should pick up again.
struct ParseFailure: Error {
    var diagnostic: Diagnostic
    /// Resume here instead of at the next line: set when the token that broke
    /// a multi-line array is the first of its line, so that line still parses.
    var resumeAt: Scanner.Mark?
    /// How many `[`/`{` were open where the error struck; recovery skips past
    /// their closers so the rest of a multi-line array is not read as keys.
    var openBrackets = 0

    init(_ diagnostic: Diagnostic, resumeAt: Scanner.Mark? = nil) {
        self.diagnostic = diagnostic
        self.resumeAt = resumeAt
    }

    init(at position: SourcePosition, length: Int = 1, _ message: String, hint: String? = nil) {
        self.init(.error(at: position, length: length, message, hint: hint))
    }
}
