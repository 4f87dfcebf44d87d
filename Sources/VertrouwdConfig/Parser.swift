/// Parses config text into a `ConfigDocument`.
///
/// Never throws and never traps: every syntax error becomes a `Diagnostic`
/// with a line and column, and parsing goes on at the next line, so that one
/// run reports all the errors of a file.
public enum ConfigParser {
    /// Parses text into a document, reporting all syntax errors in one pass.
    /// A leading byte order mark is ignored.
    public static func parse(_ text: String) -> (document: ConfigDocument, diagnostics: [Diagnostic]) {
        var parser = Parser(text)
        return parser.run()
    }

    /// Parses raw file contents: strips a UTF-8 byte order mark and, when the
    /// bytes are not valid UTF-8, reports the first bad byte's line and column
    /// and parses nothing.
    public static func parse(bytes: [UInt8]) -> (document: ConfigDocument, diagnostics: [Diagnostic]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let bad = UTF8Check.firstInvalid(in: body) {
            // Nothing after a bad byte can be trusted; the decoder must not
            // also complain about keys the rest of the file may have held.
            let empty = ConfigDocument(
                root: ConfigTable(origin: .root, position: SourcePosition(line: 1, column: 1)),
                hasUnattributedStatements: true)
            return (empty, [.error(at: bad, Message.invalidUTF8, hint: "save the file as UTF-8")])
        }
        return parse(String(decoding: body, as: UTF8.self))
    }
}

/// The statement level: comments, headers and key/value lines, and recovery
/// after an error. Values are read in `Parser+Values.swift`.
struct Parser {
    var scanner: Scanner
    var diagnostics: [Diagnostic] = []
    let builder = TableBuilder()
    /// Where key/values go. After a broken header, a detached table: its
    /// statements are still checked for syntax (and multi-line arrays read
    /// whole), but they land in no table of the document.
    var table: TableNode
    var hasUnattributedStatements = false

    init(_ text: String) {
        scanner = Scanner(text)
        table = builder.root
    }

    mutating func run() -> (document: ConfigDocument, diagnostics: [Diagnostic]) {
        while !scanner.isAtEnd {
            let before = scanner.index
            do throws(ParseFailure) {
                try statement()
            } catch {
                recover(from: error)
            }
            // Whatever happened, move on: no input may make this loop spin.
            if scanner.index <= before { scanner.skipRestOfLine() }
        }
        let document = ConfigDocument(root: builder.root.freeze(), hasUnattributedStatements: hasUnattributedStatements)
        return (document, diagnostics)
    }

    private mutating func statement() throws(ParseFailure) {
        scanner.skipBlanks()
        guard let c = scanner.current else { return }
        if scanner.isAtNewline {
            scanner.consumeNewline()
        } else if c == "#" {
            try endOfLine(Message.expectedNewlineAfterValue)
        } else if c == "\r" {
            throw ParseFailure(at: scanner.position, Message.loneCarriageReturn, hint: "end lines with \\n or \\r\\n")
        } else if c == "[" {
            try header()
        } else {
            try keyValue(into: table)
        }
    }

    /// `[name]` or `[[name]]`.
    private mutating func header() throws(ParseFailure) {
        let start = scanner.position
        do throws(ParseFailure) {
            scanner.advance()
            let isArray = scanner.current == "["
            if isArray { scanner.advance() }
            let path = try keyPath(inHeader: true)
            if isArray {
                guard scanner.current == "]", scanner.peek(1) == "]" else {
                    throw ParseFailure(at: scanner.position, Message.arrayHeaderNotClosed)
                }
                scanner.advance(by: 2)
            } else {
                guard scanner.current == "]" else {
                    throw ParseFailure(at: scanner.position, Message.headerNotClosed)
                }
                scanner.advance()
            }
            let length = scanner.column - start.column
            try endOfLine(Message.expectedNewlineAfterHeader)
            let opened = isArray
                ? builder.openTableArrayElement(path, header: start, length: length)
                : builder.openTable(path, header: start, length: length)
            switch opened {
            case .success(let t):
                table = t
            case .failure(let e):
                if let d = e.diagnostic { diagnostics.append(d) }
                detach(at: start)
            }
        } catch {
            detach(at: start)
            throw error
        }
    }

    /// Sends the statements after a broken header to a table outside the
    /// document, so they cause no further errors about the tree.
    private mutating func detach(at position: SourcePosition) {
        table = TableNode(origin: .header, position: position)
        hasUnattributedStatements = true
    }

    /// `key = value`; once the key is read, a failure still records the key
    /// with an `.invalid` value so that the decoder does not call it missing.
    private mutating func keyValue(into table: TableNode) throws(ParseFailure) {
        let path: [KeyPart]
        do throws(ParseFailure) {
            path = try keyPath(inHeader: false)
        } catch {
            hasUnattributedStatements = true
            throw error
        }
        var inserted = false
        var valueStart = path[0].position
        do throws(ParseFailure) {
            guard scanner.current == "=" else {
                let length = scanner.isAtLineEnd ? 1 : scanner.restOfLineLength
                throw ParseFailure(at: scanner.position, length: length, Message.expectedEquals(key: path.displayName))
            }
            scanner.advance()
            scanner.skipBlanks()
            valueStart = scanner.position
            // Dotted parts nest tables too; they count toward the depth cap.
            let value = try value(depth: path.count - 1)
            inserted = true
            if let d = builder.insert(path, value: value, into: table) { diagnostics.append(d) }
            try endOfLine(Message.expectedNewlineAfterValue)
        } catch {
            if !inserted { _ = builder.insert(path, value: ConfigValue(.invalid, at: valueStart), into: table) }
            throw error
        }
    }

    /// A key: bare, quoted or dotted parts. Leaves the scanner after the
    /// blanks that follow it.
    mutating func keyPath(inHeader: Bool) throws(ParseFailure) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            scanner.skipBlanks()
            let position = scanner.position
            let name: String
            switch scanner.current {
            case "\""?: name = try scanner.lexBasicString()
            case "'"?: name = try scanner.lexLiteralString()
            case let c? where c.isBareKeyCharacter: name = scanner.lexBareKey()
            default:
                if inHeader && parts.isEmpty {
                    throw ParseFailure(at: position, Message.expectedTableName)
                }
                throw ParseFailure(at: position, Message.expectedKey(found: scanner.current))
            }
            parts.append(KeyPart(name: name, position: position, length: scanner.column - position.column))
            if parts.count > Message.maxDepth { throw ParseFailure(at: position, Message.keyTooLong) }
            scanner.skipBlanks()
            guard scanner.current == "." else { return parts }
            scanner.advance()
        }
    }

    /// Only blanks and a comment may follow a value or header on its line.
    mutating func endOfLine(_ message: String) throws(ParseFailure) {
        scanner.skipBlanks()
        try scanner.skipComment()
        if scanner.isAtEnd { return }
        if scanner.isAtNewline {
            scanner.consumeNewline()
            return
        }
        if scanner.current == "\r" {
            throw ParseFailure(at: scanner.position, Message.loneCarriageReturn, hint: "end lines with \\n or \\r\\n")
        }
        throw ParseFailure(at: scanner.position, length: scanner.restOfLineLength, message)
    }

    private mutating func recover(from failure: ParseFailure) {
        diagnostics.append(failure.diagnostic)
        if let resume = failure.resumeAt {
            scanner.reset(to: resume)
        } else if failure.openBrackets > 0 {
            skipToArrayEnd(openBrackets: failure.openBrackets)
        } else {
            scanner.skipRestOfLine()
        }
    }
}
