/// Values: strings, numbers, booleans, arrays and inline tables, plus the
/// recovery that skips the rest of a broken multi-line array.
extension Parser {
    mutating func value(depth: Int) throws(ParseFailure) -> ConfigValue {
        let start = scanner.position
        // Recursion is bounded here, so `[[[[…` cannot exhaust the stack.
        guard depth <= Message.maxDepth else { throw ParseFailure(at: start, Message.tooDeep) }
        switch scanner.current {
        case "\""?:
            let s = try scanner.lexBasicString()
            return ConfigValue(.string(s), at: start, length: scanner.column - start.column)
        case "'"?:
            let s = try scanner.lexLiteralString()
            return ConfigValue(.string(s), at: start, length: scanner.column - start.column)
        case "["?:
            return try array(depth: depth)
        case "{"?:
            return try inlineTable(depth: depth)
        case let c? where c.isBareKeyCharacter || c == "+" || c == ".":
            let word = scanner.lexWord()
            let kind = try Lexer.value(of: word, at: start)
            return ConfigValue(kind, at: start, length: word.unicodeScalars.count)
        default:
            throw ParseFailure(at: start, Message.expectedValue(found: scanner.current))
        }
    }

    private mutating func array(depth: Int) throws(ParseFailure) -> ConfigValue {
        let open = scanner.position
        let openMark = scanner.mark
        let unclosed = Diagnostic.error(at: open, Message.unclosedArray)
        scanner.advance()
        var items: [ConfigValue] = []
        do throws(ParseFailure) {
            elements: while true {
                var crossedLine = try skipArrayTrivia()
                guard let c = scanner.current else { throw ParseFailure(unclosed) }
                if c == "]" {
                    scanner.advance()
                    break elements
                }
                // A key or header at the start of a line: the array was never
                // closed, and that line is the next statement.
                if crossedLine && looksLikeStatement() { throw ParseFailure(unclosed, resumeAt: scanner.mark) }
                items.append(try value(depth: depth + 1))
                crossedLine = try skipArrayTrivia()
                switch scanner.current {
                case "]"?:
                    scanner.advance()
                    break elements
                case ","?:
                    scanner.advance()
                case nil:
                    throw ParseFailure(unclosed)
                default:
                    // A statement on a new line means the `]` was forgotten;
                    // anything else is more likely a forgotten comma.
                    if crossedLine && looksLikeStatement() { throw ParseFailure(unclosed, resumeAt: scanner.mark) }
                    throw ParseFailure(at: scanner.position, Message.expectedArraySeparator)
                }
            }
        } catch {
            var failure = error
            if failure.resumeAt == nil { failure.openBrackets += 1 }
            throw failure
        }
        let length = scanner.line == open.line ? scanner.column - open.column : scanner.lineLength(from: openMark)
        return ConfigValue(.array(items), at: open, length: length)
    }

    /// Skips blanks, newlines and comments inside an array; true when it
    /// crossed a line end.
    private mutating func skipArrayTrivia() throws(ParseFailure) -> Bool {
        var crossed = false
        while true {
            scanner.skipBlanks()
            if scanner.isAtNewline {
                scanner.consumeNewline()
                crossed = true
            } else if scanner.current == "#" {
                try scanner.skipComment()
            } else if scanner.current == "\r" {
                throw ParseFailure(at: scanner.position, Message.loneCarriageReturn)
            } else {
                return crossed
            }
        }
    }

    /// `{ a = 1, b.c = "x" }`: one line, no trailing comma (TOML 1.0).
    private mutating func inlineTable(depth: Int) throws(ParseFailure) -> ConfigValue {
        let open = scanner.position
        let unclosed = ParseFailure(at: open, Message.unclosedInlineTable, hint: "an inline table must be on one line")
        let node = TableNode(origin: .inline, position: open)
        scanner.advance()
        scanner.skipBlanks()
        if scanner.current == "}" {
            scanner.advance()
        } else {
            entries: while true {
                scanner.skipBlanks()
                if scanner.isAtLineEnd { throw unclosed }
                let path = try keyPath(inHeader: false)
                guard scanner.current == "=" else {
                    if scanner.isAtLineEnd { throw unclosed }
                    throw ParseFailure(at: scanner.position, Message.expectedEquals(key: path.displayName))
                }
                scanner.advance()
                scanner.skipBlanks()
                let v = try value(depth: depth + path.count)
                if let d = builder.insert(path, value: v, into: node) { diagnostics.append(d) }
                scanner.skipBlanks()
                switch scanner.current {
                case ","?:
                    let comma = scanner.position
                    scanner.advance()
                    scanner.skipBlanks()
                    if scanner.current == "}" { throw ParseFailure(at: comma, Message.inlineTrailingComma) }
                case "}"?:
                    scanner.advance()
                    break entries
                default:
                    if scanner.isAtLineEnd { throw unclosed }
                    throw ParseFailure(at: scanner.position, Message.expectedInlineSeparator)
                }
            }
        }
        node.length = scanner.column - open.column
        return ConfigValue(.table(node.freeze()), at: open, length: node.length)
    }

    /// Whether the line from here reads like `key =` or a `[table]` header,
    /// which inside an unclosed array means the array has ended.
    func looksLikeStatement() -> Bool {
        var i = 0
        func at(_ k: Int) -> Unicode.Scalar? { scanner.peek(k) }
        if at(0) == "[" {
            // `[name]` or `[[name]]` with a name starting with a letter: a
            // nested array of numbers or strings never looks like that.
            i = at(1) == "[" ? 2 : 1
            while at(i) == " " || at(i) == "\t" { i += 1 }
            guard let c = at(i), c.properties.isAlphabetic || c == "_" else { return false }
            while let c = at(i), c.isBareKeyCharacter || c == "." || c == " " || c == "\t" { i += 1 }
            return at(i) == "]"
        }
        while let c = at(i) {
            if c.isBareKeyCharacter || c == "." || c == " " || c == "\t" {
                i += 1
            } else if c == "\"" || c == "'" {
                i += 1
                while let q = at(i), q != c, q != "\n" { i += 1 }
                guard at(i) == c else { return false }
                i += 1
            } else {
                break
            }
        }
        return i > 0 && at(i) == "="
    }

    /// After an error inside a multi-line array: skips to where its
    /// brackets close (or to a line that reads like the next statement), so
    /// the array's remaining elements are not parsed as keys.
    mutating func skipToArrayEnd(openBrackets: Int) {
        var depth = openBrackets
        var atLineStart = false
        while let c = scanner.current {
            if atLineStart {
                scanner.skipBlanks()
                if looksLikeStatement() { return }
                atLineStart = false
                continue
            }
            switch c {
            case "\n":
                scanner.advance()
                atLineStart = true
            case "\"", "'":
                scanner.advance()
                while let q = scanner.current, q != c, q != "\n" {
                    if c == "\"" && q == "\\" { scanner.advance() }
                    if scanner.current != "\n" { scanner.advance() }
                }
                if scanner.current == c { scanner.advance() }
            case "#":
                while let q = scanner.current, q != "\n" { scanner.advance() }
            case "[":
                depth += 1
                scanner.advance()
            case "]":
                depth -= 1
                scanner.advance()
                if depth <= 0 {
                    scanner.skipRestOfLine()
                    return
                }
            default:
                scanner.advance()
            }
        }
    }
}
