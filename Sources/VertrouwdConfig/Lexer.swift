import VertrouwdCore

/// The lexer: turns the scalars under the scanner into strings, keys,
/// numbers and booleans. TOML's tokens depend on where they stand (`1.5` is a
/// float as a value but two keys as a key), so the parser asks for the kind of
/// token it expects instead of reading a token stream.
extension Scanner {
    /// Skips a `#` comment up to (not including) the line end.
    mutating func skipComment() throws(ParseFailure) {
        guard current == "#" else { return }
        while let c = current, !isAtNewline {
            if c.isForbiddenControl {
                throw ParseFailure(at: position, Message.controlInComment(c))
            }
            advance()
        }
    }

    /// Reads a `"…"` string, the scanner standing on its opening quote.
    mutating func lexBasicString() throws(ParseFailure) -> String {
        let start = position
        if peek(1) == "\"" && peek(2) == "\"" {
            throw ParseFailure(at: start, length: 3, Message.multiLineStrings)
        }
        advance()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current, !isAtNewline else {
                throw ParseFailure(at: start, length: column - start.column, Message.unterminatedString)
            }
            switch c {
            case "\"":
                advance()
                return String(out)
            case "\\":
                out.append(try lexEscape(stringStart: start))
            default:
                if c.isForbiddenControl {
                    throw ParseFailure(at: position, Message.controlInString(c),
                                       hint: "write it as \\u" + Hex.padded(c.value, width: 4, uppercase: true))
                }
                out.append(c)
                advance()
            }
        }
    }

    /// Reads one escape sequence, the scanner standing on its backslash.
    private mutating func lexEscape(stringStart: SourcePosition) throws(ParseFailure) -> Unicode.Scalar {
        let start = position
        advance()
        let simple: Unicode.Scalar?
        switch current {
        case "b": simple = "\u{08}"
        case "t": simple = "\t"
        case "n": simple = "\n"
        case "f": simple = "\u{0C}"
        case "r": simple = "\r"
        case "\"": simple = "\""
        case "\\": simple = "\\"
        case "u", "U": simple = nil
        default:
            guard let c = current, !isAtNewline else {
                throw ParseFailure(at: stringStart, length: column - stringStart.column, Message.unterminatedString)
            }
            throw ParseFailure(at: start, length: 2, Message.invalidEscape(c),
                               hint: "to write a backslash, use \"\\\\\"")
        }
        if let simple {
            advance()
            return simple
        }
        let letter = current!
        let digits = letter == "u" ? 4 : 8
        advance()
        var value: UInt32 = 0
        var text = String(letter)
        for _ in 0..<digits {
            guard let c = current, let d = Self.hexValue(c) else {
                throw ParseFailure(at: start, length: 2 + text.count - 1,
                                   "\"\\\(letter)\" needs \(digits) hex digits")
            }
            value = value << 4 | d
            text.unicodeScalars.append(c)
            advance()
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw ParseFailure(at: start, length: digits + 2, Message.invalidUnicodeEscape(text))
        }
        return scalar
    }

    /// Reads a `'…'` string, the scanner standing on its opening quote.
    mutating func lexLiteralString() throws(ParseFailure) -> String {
        let start = position
        if peek(1) == "'" && peek(2) == "'" {
            throw ParseFailure(at: start, length: 3, Message.multiLineStrings)
        }
        advance()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current, !isAtNewline else {
                throw ParseFailure(at: start, length: column - start.column, Message.unterminatedString)
            }
            if c == "'" {
                advance()
                return String(out)
            }
            if c.isForbiddenControl {
                throw ParseFailure(at: position, Message.controlInString(c))
            }
            out.append(c)
            advance()
        }
    }

    /// Reads `[A-Za-z0-9_-]+` (possibly empty).
    mutating func lexBareKey() -> String {
        let start = mark
        while let c = current, c.isBareKeyCharacter { advance() }
        return text(from: start)
    }

    /// Reads the run of characters a number, boolean, date or mistaken bare
    /// word is made of. A date followed by a space and a time is read whole,
    /// so that the error can quote all of it.
    mutating func lexWord() -> String {
        let start = mark
        skipWordCharacters()
        let word = text(from: start)
        if Lexer.looksLikeDate(word), current == " ",
           peek(1)?.isASCIIDigit == true, peek(2)?.isASCIIDigit == true, peek(3) == ":" {
            advance()
            skipWordCharacters()
        }
        return text(from: start)
    }

    private mutating func skipWordCharacters() {
        while let c = current, c.isBareKeyCharacter || c == "+" || c == "." || c == ":" { advance() }
    }

    static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: c.value - 0x30
        case 0x41...0x46: c.value - 0x41 + 10
        case 0x61...0x66: c.value - 0x61 + 10
        default: nil
        }
    }
}

/// Turns the words `Scanner.lexWord` reads into values.
enum Lexer {
    /// `1979-05-27…` or `07:32…`: the start of a TOML date or time.
    static func looksLikeDate(_ word: String) -> Bool {
        let s = Array(word.unicodeScalars)
        if s.count >= 5, s[0..<4].allSatisfy(\.isASCIIDigit), s[4] == "-" { return true }
        if s.count >= 3, s[0..<2].allSatisfy(\.isASCIIDigit), s[2] == ":" { return true }
        return false
    }

    /// Classifies a word read where a value was expected.
    static func value(of word: String, at position: SourcePosition) throws(ParseFailure) -> ConfigValue.Kind {
        let length = word.unicodeScalars.count
        func fail(_ message: String, hint: String? = nil) -> ParseFailure {
            ParseFailure(at: position, length: length, message, hint: hint)
        }
        switch word {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "inf", "+inf", "-inf", "nan", "+nan", "-nan":
            throw fail(Message.infNanNotSupported, hint: "write a large number such as 1e308 instead")
        default: break
        }
        if looksLikeDate(word) { throw fail(Message.datesNotSupported(word)) }
        let s = Array(word.unicodeScalars)
        let startsNumeric = s.first.map { $0.isASCIIDigit || $0 == "+" || $0 == "-" || $0 == "." } ?? false
        guard startsNumeric else {
            throw fail(Message.bareWord(word), hint: Message.stringsNeedQuotes(word))
        }
        return try NumberLexer(scalars: s, text: word, position: position).parse()
    }
}
