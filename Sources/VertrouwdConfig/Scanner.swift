import VertrouwdCore

/// A cursor over the scalars of a config text that keeps the line and column
/// of where it stands. The lexer (`Lexer.swift`) and the parser move it; it
/// knows nothing of TOML beyond what a blank and a newline are.
struct Scanner {
    /// A saved place, to go back to (error recovery resumes at line starts).
    struct Mark {
        var index: Int
        var line: Int
        var column: Int
    }

    private let scalars: [Unicode.Scalar]
    private(set) var index = 0
    private(set) var line = 1
    private(set) var column = 1

    init(_ text: String) {
        var scalars = Array(text.unicodeScalars)
        // A byte order mark is not content; drop it so columns start at 1.
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
    }

    var position: SourcePosition { SourcePosition(line: line, column: column) }
    var mark: Mark { Mark(index: index, line: line, column: column) }
    var isAtEnd: Bool { index >= scalars.count }
    var current: Unicode.Scalar? { peek(0) }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        let i = index + offset
        return i >= 0 && i < scalars.count ? scalars[i] : nil
    }

    mutating func reset(to mark: Mark) {
        index = mark.index
        line = mark.line
        column = mark.column
    }

    mutating func advance() {
        guard index < scalars.count else { return }
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    mutating func advance(by count: Int) {
        for _ in 0..<count { advance() }
    }

    /// Skips spaces and tabs, TOML's only whitespace inside a line.
    mutating func skipBlanks() {
        while let c = current, c == " " || c == "\t" { advance() }
    }

    /// True at `\n` or `\r\n`. A lone `\r` is not a line ending in TOML.
    var isAtNewline: Bool {
        current == "\n" || (current == "\r" && peek(1) == "\n")
    }

    var isAtLineEnd: Bool { isAtEnd || isAtNewline }

    mutating func consumeNewline() {
        if current == "\r" { advance() }
        if current == "\n" { advance() }
    }

    /// Moves to the start of the next line (or the end of the text).
    mutating func skipRestOfLine() {
        while let c = current, c != "\n" { advance() }
        advance()
    }

    /// How many scalars remain on this line from here, for caret lengths.
    var restOfLineLength: Int {
        var n = 0
        while let c = peek(n), c != "\n", c != "\r" { n += 1 }
        return n
    }

    /// How many scalars lie between `mark` and the end of its line. Computed
    /// only when needed: doing it for every `[` would make long lines quadratic.
    func lineLength(from mark: Mark) -> Int {
        var i = mark.index
        while i < scalars.count, scalars[i] != "\n", scalars[i] != "\r" { i += 1 }
        return i - mark.index
    }

    /// The text from `mark` up to the current index.
    func text(from mark: Mark) -> String {
        var s = String.UnicodeScalarView()
        if mark.index < index { s.append(contentsOf: scalars[mark.index..<index]) }
        return String(s)
    }
}

extension Unicode.Scalar {
    /// `[A-Za-z0-9_-]`: the characters of a bare key.
    var isBareKeyCharacter: Bool {
        switch value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2D: true
        default: false
        }
    }

    /// Control characters TOML forbids in strings and comments (tab is fine).
    var isForbiddenControl: Bool {
        (value < 0x20 && value != 0x09) || value == 0x7F
    }

    var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }

    /// How a scalar is shown inside a message: itself if printable, else U+XXXX.
    var quotedForMessage: String {
        if value < 0x20 || value == 0x7F || (value >= 0x80 && value < 0xA0) || value == 0xFEFF {
            return Unicode.Scalar.codePoint(value)
        }
        return "\"\(Character(self))\""
    }

    static func codePoint(_ value: UInt32) -> String {
        "U+" + Hex.padded(value, width: 4, uppercase: true)
    }
}
