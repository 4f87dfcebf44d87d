/// Every message the lexer, parser and table builder emit, in one place so
/// that their wording stays consistent (lower case, no trailing period,
/// keys and values in double quotes).
enum Message {
    static let maxDepth = 64

    static func found(_ scalar: Unicode.Scalar?) -> String {
        guard let scalar else { return "the end of the file" }
        if scalar == "\n" { return "the end of the line" }
        return scalar.quotedForMessage
    }

    // Lexer
    static let unterminatedString = "unterminated string"
    static let multiLineStrings = "multi-line strings are not supported"
    static func controlInString(_ s: Unicode.Scalar) -> String {
        "control character \(Unicode.Scalar.codePoint(s.value)) is not allowed in a string"
    }
    static func controlInComment(_ s: Unicode.Scalar) -> String {
        "control character \(Unicode.Scalar.codePoint(s.value)) is not allowed in a comment"
    }
    static func invalidEscape(_ s: Unicode.Scalar?) -> String {
        guard let s else { return "unterminated string" }
        return "invalid escape sequence \"\\\(Character(s))\""
    }
    static func invalidUnicodeEscape(_ text: String) -> String {
        "\"\\\(text)\" is not a unicode scalar value"
    }
    static func datesNotSupported(_ text: String) -> String {
        "dates and times are not supported; write it as a string, e.g. \"\(text)\""
    }
    static let infNanNotSupported = "inf and nan are not supported"
    static func bareWord(_ word: String) -> String { "expected a value, found bare word \"\(word)\"" }
    static func stringsNeedQuotes(_ word: String) -> String { "strings need quotes: \"\(word)\"" }
    static func invalidNumber(_ text: String) -> String { "invalid number \"\(text)\"" }
    static func integerOverflow(_ text: String) -> String { "integer \"\(text)\" does not fit in 64 bits" }
    static func floatOutOfRange(_ text: String) -> String { "float \"\(text)\" is out of range" }
    static let leadingZeros = "leading zeros are not allowed"
    static let misplacedUnderscore = "\"_\" is only allowed between digits"

    // Parser
    static func expectedValue(found scalar: Unicode.Scalar?) -> String { "expected a value, found \(found(scalar))" }
    static func expectedKey(found scalar: Unicode.Scalar?) -> String { "expected a key, found \(found(scalar))" }
    static let expectedTableName = "expected a table name"
    static func expectedEquals(key: String) -> String { "expected \"=\" after key \"\(key)\"" }
    static let expectedNewlineAfterValue = "expected a newline after the value"
    static let expectedNewlineAfterHeader = "expected a newline after the table header"
    static let loneCarriageReturn = "carriage return without a newline"
    static let unclosedArray = "array opened here is never closed"
    static let expectedArraySeparator = "expected \",\" or \"]\" in array"
    static let unclosedInlineTable = "inline table opened here is never closed"
    static let expectedInlineSeparator = "expected \",\" or \"}\" in inline table"
    static let inlineTrailingComma = "trailing comma is not allowed in an inline table"
    static let headerNotClosed = "expected \"]\" to close the table header"
    static let arrayHeaderNotClosed = "expected \"]]\" to close the array of tables header"
    static let tooDeep = "nesting is too deep (more than \(maxDepth) levels)"
    static let keyTooLong = "key has too many parts (more than \(maxDepth))"
    static let invalidUTF8 = "invalid UTF-8"

    // Table builder
    static func duplicateKey(_ key: String) -> String { "duplicate key \"\(key)\"" }
    static func firstDefined(line: Int) -> String { "first defined on line \(line)" }
    static func alreadyA(_ path: String, prefix: String, type: String) -> String {
        "cannot define \"\(path)\": \"\(prefix)\" is already \(type)"
    }
    static func extendInline(_ path: String) -> String { "cannot extend inline table \"\(path)\"" }
    static func dottedIntoHeaderTable(_ path: String) -> String {
        "cannot add to table \"\(path)\" with a dotted key; it is defined by a table header"
    }
    static func dottedIntoTableArray(_ path: String) -> String {
        "cannot add to array of tables \"\(path)\" with a dotted key"
    }
    static func tableDefinedTwice(_ path: String) -> String { "table \"\(path)\" is defined twice" }
    static func tableMadeByDottedKeys(_ path: String) -> String {
        "table \"\(path)\" is already defined by dotted keys"
    }
    static func tableIsTableArray(_ path: String) -> String { "table \"\(path)\" is already an array of tables" }
    static func useDoubleBrackets(_ path: String) -> String { "use [[\(path)]] to add an element" }
    static func tableArrayIsTable(_ path: String) -> String {
        "cannot define array of tables \"\(path)\": it is already a table"
    }
    static func tableArrayIsValue(_ path: String, type: String) -> String {
        "cannot define array of tables \"\(path)\": it is already \(type)"
    }
}
