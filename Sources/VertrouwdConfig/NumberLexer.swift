/// Integers and floats in TOML 1.0 syntax: decimal integers with an optional
/// sign, `0x`/`0o`/`0b` integers, `_` only between digits, no leading zeros,
/// 64-bit with overflow an error; floats with a fraction and/or an exponent.
struct NumberLexer {
    let scalars: [Unicode.Scalar]
    let text: String
    let position: SourcePosition

    private func fail(_ message: String, hint: String? = nil) -> ParseFailure {
        ParseFailure(at: position, length: scalars.count, message, hint: hint)
    }

    func parse() throws(ParseFailure) -> ConfigValue.Kind {
        var body = scalars[...]
        var negative = false
        var signed = false
        if let first = body.first, first == "+" || first == "-" {
            negative = first == "-"
            signed = true
            body = body.dropFirst()
        }
        if body.count >= 2, body.first == "0", let radix = Self.radix(body[body.startIndex + 1]) {
            if signed { throw fail(Message.invalidNumber(text), hint: "0x, 0o and 0b numbers cannot have a sign") }
            return .integer(try integer(body.dropFirst(2), radix: radix, negative: false, allowLeadingZeros: true))
        }
        if body.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            return .float(try float(body, negative: negative))
        }
        return .integer(try integer(body, radix: 10, negative: negative, allowLeadingZeros: false))
    }

    private static func radix(_ c: Unicode.Scalar) -> UInt64? {
        switch c {
        case "x": 16
        case "o": 8
        case "b": 2
        default: nil
        }
    }

    private static func digitValue(_ c: Unicode.Scalar, radix: UInt64) -> UInt64? {
        guard let v = Scanner.hexValue(c).map(UInt64.init), v < radix else { return nil }
        // Hex letters only count in base 16; hexValue already maps them above 9.
        return v
    }

    /// Checks digits with `_` only between two digits; returns them without `_`.
    private func digits(_ part: ArraySlice<Unicode.Scalar>, radix: UInt64) throws(ParseFailure) -> [Unicode.Scalar] {
        guard !part.isEmpty else { throw fail(Message.invalidNumber(text)) }
        var out: [Unicode.Scalar] = []
        var previousWasDigit = false
        for c in part {
            if c == "_" {
                guard previousWasDigit else { throw fail(Message.misplacedUnderscore) }
                previousWasDigit = false
            } else if Self.digitValue(c, radix: radix) != nil {
                out.append(c)
                previousWasDigit = true
            } else {
                throw fail(Message.invalidNumber(text))
            }
        }
        guard previousWasDigit else { throw fail(Message.misplacedUnderscore) }
        return out
    }

    private func integer(
        _ part: ArraySlice<Unicode.Scalar>, radix: UInt64, negative: Bool, allowLeadingZeros: Bool
    ) throws(ParseFailure) -> Int64 {
        let ds = try digits(part, radix: radix)
        if !allowLeadingZeros, ds.count > 1, ds[0] == "0" {
            let stripped = String(String.UnicodeScalarView(ds.drop { $0 == "0" }))
            throw fail(Message.leadingZeros, hint: "write \(negative ? "-" : "")\(stripped.isEmpty ? "0" : stripped)")
        }
        // Accumulate the magnitude unsigned, so that Int64.min still fits.
        let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        var magnitude: UInt64 = 0
        for c in ds {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(Self.digitValue(c, radix: radix)!)
            guard !o1, !o2, a <= limit else { throw fail(Message.integerOverflow(text)) }
            magnitude = a
        }
        if negative {
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return Int64(magnitude)
    }

    private func float(_ body: ArraySlice<Unicode.Scalar>, negative: Bool) throws(ParseFailure) -> Double {
        // float = dec-int ( exp / frac [ exp ] ); the parts are checked one by
        // one so that "1.", ".5", "1e" and "01.5" are all refused.
        let expIndex = body.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = body[..<(expIndex ?? body.endIndex)]
        let dot = mantissa.firstIndex(of: ".")
        let intPart = try digits(mantissa[..<(dot ?? mantissa.endIndex)], radix: 10)
        if intPart.count > 1, intPart[0] == "0" { throw fail(Message.leadingZeros) }
        var clean = String(String.UnicodeScalarView(intPart))
        if let dot {
            clean += "." + String(String.UnicodeScalarView(try digits(mantissa[(dot + 1)...], radix: 10)))
        }
        if let expIndex {
            var exp = body[(expIndex + 1)...]
            var sign = ""
            if let s = exp.first, s == "+" || s == "-" {
                sign = String(s)
                exp = exp.dropFirst()
            }
            clean += "e" + sign + String(String.UnicodeScalarView(try digits(exp, radix: 10)))
        }
        guard let value = Double(clean) else { throw fail(Message.invalidNumber(text)) }
        guard value.isFinite else { throw fail(Message.floatOutOfRange(text)) }
        return negative ? -value : value
    }
}
