/// A strict, allocation-free pull decoder for one JSON object on one line.
///
/// It reads the top-level object member by member: `nextKey()` then
/// `value(onNestedText:)`. Strings (keys and values) are handed out as views
/// into the input or, when they hold escapes, into a caller-provided scratch
/// buffer they are unescaped into; a view stays valid only until the next
/// call. Nested arrays and objects are never a
/// valid signal value, but they are walked (to a depth of `maxNesting`) so
/// that every string and number inside them reaches the PII gate.
///
/// The caller has checked that the line is valid UTF-8, so strings are copied
/// byte for byte except for escapes. Errors are `SignalRejection`s with the
/// line-level reasons (`malformed_json`, `not_an_object`, `trailing_data`,
/// `too_deep`); `field` is set when the error lies in the value of a schema
/// field.
struct JSONLineDecoder {
    /// A top-level value. Views point into the scratch buffer (strings) or
    /// into the input (number literals).
    enum Value {
        case string(UnsafeRawBufferPointer)
        /// An integer literal and its value; nil when it does not fit Int64.
        case integer(Int64?, literal: UnsafeRawBufferPointer)
        /// A number with a fraction or an exponent.
        case number(literal: UnsafeRawBufferPointer)
        case bool
        case null
        case nested
    }

    /// How deeply arrays and objects may nest inside a member's value.
    static let maxNesting = 16

    private let input: UnsafeRawBufferPointer
    private let scratch: UnsafeMutableRawBufferPointer
    private var pos = 0
    private var membersRead = 0
    /// The schema field whose value is being read, for error reports.
    var currentField: SignalField?

    /// `scratch` must be at least as long as `input`: an unescaped string is
    /// never longer than its JSON form.
    init(input: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer) {
        precondition(scratch.count >= input.count)
        self.input = input
        self.scratch = scratch
    }

    private func fail(_ reason: RejectReason) -> SignalRejection {
        SignalRejection(reason, field: currentField?.name)
    }

    @inline(__always) private var atEnd: Bool { pos >= input.count }
    @inline(__always) private var byte: UInt8 { input[pos] }

    @inline(__always) private mutating func skipWhitespace() {
        while pos < input.count {
            let b = input[pos]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            pos += 1
        }
    }

    @inline(__always) private mutating func expect(_ b: UInt8) throws(SignalRejection) {
        guard pos < input.count, input[pos] == b else { throw fail(.malformedJSON) }
        pos += 1
    }

    /// Reads up to the opening brace.
    mutating func beginObject() throws(SignalRejection) {
        skipWhitespace()
        guard !atEnd else { throw fail(.notAnObject) }
        switch byte {
        case UInt8(ascii: "{"): pos += 1
        case UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            throw fail(.notAnObject)
        default: throw fail(.malformedJSON)
        }
    }

    /// The next key of the top-level object (unescaped, in scratch), or nil
    /// at its closing brace.
    mutating func nextKey() throws(SignalRejection) -> UnsafeRawBufferPointer? {
        currentField = nil
        skipWhitespace()
        guard !atEnd else { throw fail(.malformedJSON) }
        if byte == UInt8(ascii: "}") {
            pos += 1
            return nil
        }
        if membersRead > 0 {
            try expect(UInt8(ascii: ","))
            skipWhitespace()
        }
        membersRead += 1
        try expect(UInt8(ascii: "\""))
        let key = try string()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// After the closing brace: only whitespace may follow.
    mutating func finish() throws(SignalRejection) {
        currentField = nil
        skipWhitespace()
        guard atEnd else { throw fail(.trailingData) }
    }

    /// The value after a key. Every string, key and number inside a nested
    /// value is passed to `onNestedText` (strings unescaped).
    mutating func value(
        onNestedText: (UnsafeRawBufferPointer) throws(SignalRejection) -> Void
    ) throws(SignalRejection) -> Value {
        skipWhitespace()
        guard !atEnd else { throw fail(.malformedJSON) }
        switch byte {
        case UInt8(ascii: "\""):
            pos += 1
            return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number()
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            try skipNested(onText: onNestedText)
            return .nested
        default:
            throw fail(.malformedJSON)
        }
    }

    private mutating func literal(_ word: StaticString) throws(SignalRejection) {
        let n = word.utf8CodeUnitCount
        guard input.count - pos >= n else { throw fail(.malformedJSON) }
        for i in 0..<n where input[pos + i] != word.utf8Start[i] { throw fail(.malformedJSON) }
        pos += n
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() throws(SignalRejection) -> Value {
        let start = pos
        var negative = false
        if byte == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        guard !atEnd, isDigit(byte) else { throw fail(.malformedJSON) }
        var magnitude: UInt64 = 0
        var overflow = false
        if byte == UInt8(ascii: "0") {
            pos += 1
        } else {
            while !atEnd, isDigit(byte) {
                let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(UInt64(byte &- 0x30))
                overflow = overflow || o1 || o2
                magnitude = m2
                pos += 1
            }
        }
        var integral = true
        if !atEnd, byte == UInt8(ascii: ".") {
            integral = false
            pos += 1
            guard !atEnd, isDigit(byte) else { throw fail(.malformedJSON) }
            while !atEnd, isDigit(byte) { pos += 1 }
        }
        if !atEnd, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            integral = false
            pos += 1
            if !atEnd, byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { pos += 1 }
            guard !atEnd, isDigit(byte) else { throw fail(.malformedJSON) }
            while !atEnd, isDigit(byte) { pos += 1 }
        }
        let literal = UnsafeRawBufferPointer(rebasing: input[start..<pos])
        guard integral else { return .number(literal: literal) }
        var result: Int64?
        if !overflow {
            if negative {
                result = magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
            } else {
                result = magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
            }
        }
        return .integer(result, literal: literal)
    }

    /// Reads a string after its opening quote. Without escapes (the usual
    /// case) the result is a view into the input; otherwise the string is
    /// unescaped into scratch[0...].
    private mutating func string() throws(SignalRejection) -> UnsafeRawBufferPointer {
        let start = pos
        // Fast path on locals: find the closing quote, or the first escape
        // or control character, eight bytes at a time where possible.
        let n = input.count
        var p = start
        if let base = input.baseAddress {
            while n - p >= 8 {
                let w = base.loadUnaligned(fromByteOffset: p, as: UInt64.self)
                if Self.hasSpecialByte(w) { break }
                p += 8
            }
            while p < n {
                let b = base.load(fromByteOffset: p, as: UInt8.self)
                if b == UInt8(ascii: "\"") {
                    pos = p + 1
                    return UnsafeRawBufferPointer(rebasing: input[start..<p])
                }
                if b == UInt8(ascii: "\\") || b < 0x20 { break }
                p += 1
            }
        }
        pos = p
        let plain = pos - start
        if plain > 0 {
            UnsafeMutableRawBufferPointer(rebasing: scratch[0..<plain]).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: input[start..<pos]))
        }
        var out = plain
        while true {
            guard pos < input.count else { throw fail(.malformedJSON) }
            let b = input[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return UnsafeRawBufferPointer(rebasing: scratch[0..<out])
            }
            if b == UInt8(ascii: "\\") {
                pos += 1
                guard pos < input.count else { throw fail(.malformedJSON) }
                let e = input[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch[out] = e; out += 1
                case UInt8(ascii: "b"): scratch[out] = 0x08; out += 1
                case UInt8(ascii: "f"): scratch[out] = 0x0C; out += 1
                case UInt8(ascii: "n"): scratch[out] = 0x0A; out += 1
                case UInt8(ascii: "r"): scratch[out] = 0x0D; out += 1
                case UInt8(ascii: "t"): scratch[out] = 0x09; out += 1
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard input.count - pos >= 6, input[pos] == UInt8(ascii: "\\"), input[pos + 1] == UInt8(ascii: "u")
                        else { throw fail(.malformedJSON) }
                        pos += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail(.malformedJSON) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail(.malformedJSON)
                    } else if scalar == 0 {
                        // `\u0000`: text interleaved with NULs, escaped.
                        // Refused before the value is used; the validator
                        // scans the raw line without the NULs first.
                        throw fail(.nulByte)
                    }
                    out += encodeUTF8(scalar, at: out)
                default:
                    throw fail(.malformedJSON)
                }
                continue
            }
            guard b >= 0x20 else { throw fail(.malformedJSON) }
            scratch[out] = b
            out += 1
            pos += 1
        }
    }

    /// Whether any byte of `w` is `"`, `\\` or below 0x20 (SWAR: a byte
    /// equal to zero after XOR, or below 0x20 before it).
    @inline(__always) static func hasSpecialByte(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zeroByte(w ^ (ones &* 0x22))
        let backslash = zeroByte(w ^ (ones &* 0x5C))
        let control = (w &- ones &* 0x20) & ~w & highs
        return quote | backslash | control != 0
    }

    private mutating func hex4() throws(SignalRejection) -> UInt32 {
        guard input.count - pos >= 4 else { throw fail(.malformedJSON) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = input[pos]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw fail(.malformedJSON)
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    private func encodeUTF8(_ s: UInt32, at i: Int) -> Int {
        switch s {
        case 0..<0x80:
            scratch[i] = UInt8(s)
            return 1
        case 0x80..<0x800:
            scratch[i] = UInt8(0xC0 | (s >> 6))
            scratch[i + 1] = UInt8(0x80 | (s & 0x3F))
            return 2
        case 0x800..<0x10000:
            scratch[i] = UInt8(0xE0 | (s >> 12))
            scratch[i + 1] = UInt8(0x80 | ((s >> 6) & 0x3F))
            scratch[i + 2] = UInt8(0x80 | (s & 0x3F))
            return 3
        default:
            scratch[i] = UInt8(0xF0 | (s >> 18))
            scratch[i + 1] = UInt8(0x80 | ((s >> 12) & 0x3F))
            scratch[i + 2] = UInt8(0x80 | ((s >> 6) & 0x3F))
            scratch[i + 3] = UInt8(0x80 | (s & 0x3F))
            return 4
        }
    }

    private enum NestState { case value, key, afterValue }

    /// Walks one array or object without recursion; a bit stack records
    /// which kind each open level is.
    private mutating func skipNested(
        onText: (UnsafeRawBufferPointer) throws(SignalRejection) -> Void
    ) throws(SignalRejection) {
        var depth = 0
        var isArray: UInt32 = 0
        var state = NestState.value
        while true {
            skipWhitespace()
            if state == .afterValue && depth == 0 { return }
            guard !atEnd else { throw fail(.malformedJSON) }
            let b = byte
            switch state {
            case .value:
                if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                    depth += 1
                    guard depth <= Self.maxNesting else { throw fail(.tooDeep) }
                    let array = b == UInt8(ascii: "[")
                    isArray = isArray << 1 | (array ? 1 : 0)
                    pos += 1
                    skipWhitespace()
                    guard !atEnd else { throw fail(.malformedJSON) }
                    if byte == (array ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                        pos += 1
                        isArray >>= 1
                        depth -= 1
                        state = .afterValue
                    } else {
                        state = array ? .value : .key
                    }
                } else {
                    switch try value(onNestedText: onText) {
                    case .string(let s): try onText(s)
                    case .integer(_, let literal), .number(let literal): try onText(literal)
                    case .bool, .null, .nested: break
                    }
                    state = .afterValue
                }
            case .key:
                try expect(UInt8(ascii: "\""))
                try onText(try string())
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                state = .value
            case .afterValue:
                let array = isArray & 1 == 1
                if b == UInt8(ascii: ",") {
                    pos += 1
                    state = array ? .value : .key
                } else if b == (array ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                    pos += 1
                    isArray >>= 1
                    depth -= 1
                } else {
                    throw fail(.malformedJSON)
                }
            }
        }
    }
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
