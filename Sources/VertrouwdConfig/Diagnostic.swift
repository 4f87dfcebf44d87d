/// A place in the config text: 1-based line and column, the column counted
/// in Unicode scalars.
public struct SourcePosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// One problem found in a config file: where, how wide (for the caret
/// underline), what, and optionally a hint such as "did you mean …".
///
/// A diagnostic without a position is about the file as a whole (its
/// permissions, its encoding) and prints as `FILE: error: message`.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable {
        case error, warning
    }

    public var severity: Severity
    public var position: SourcePosition?
    /// How many scalars the caret underlines (at least 1).
    public var length: Int
    public var message: String
    public var hint: String?

    public init(
        _ severity: Severity = .error, at position: SourcePosition?, length: Int = 1,
        _ message: String, hint: String? = nil
    ) {
        self.severity = severity
        self.position = position
        self.length = max(1, length)
        self.message = message
        self.hint = hint
    }

    public static func error(at position: SourcePosition?, length: Int = 1, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, at: position, length: length, message, hint: hint)
    }

    public static func warning(at position: SourcePosition?, length: Int = 1, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, at: position, length: length, message, hint: hint)
    }
}
