/// A small JSON writer with a fixed key order, so that the same message
/// always renders to the same bytes (P7: a re-render of a published week is
/// byte-identical). Output is one line: `\n` in strings is escaped.
public struct JSONWriter: Sendable {
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case null
        case array([Value])
        /// Keys in the order given.
        case object([(String, Value)])

        public static func == (a: Value, b: Value) -> Bool {
            JSONWriter.render(a) == JSONWriter.render(b)
        }
    }

    public static func render(_ value: Value) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    static func write(_ value: Value, to out: inout String) {
        switch value {
        case .string(let s): writeString(s, to: &out)
        case .int(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, (key, item)) in pairs.enumerated() {
                if i > 0 { out += "," }
                writeString(key, to: &out)
                out += ":"
                write(item, to: &out)
            }
            out += "}"
        }
    }

    /// RFC 8259 escaping: quote, backslash and every control character;
    /// U+2028/2029 too, so the line is safe to embed in JavaScript.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        // Most strings need no escape: copied whole. Otherwise byte by
        // byte: every byte to escape is ASCII, or the lead of U+2028/2029
        // (E2 80 A8/A9), and no byte of a multi-byte character is ASCII.
        let utf8 = s.utf8
        guard utf8.contains(where: needsEscape) else {
            out += s
            out += "\""
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            switch b {
            case UInt8(ascii: "\""): bytes += #"\""#.utf8
            case UInt8(ascii: "\\"): bytes += #"\\"#.utf8
            case UInt8(ascii: "\n"): bytes += #"\n"#.utf8
            case UInt8(ascii: "\r"): bytes += #"\r"#.utf8
            case UInt8(ascii: "\t"): bytes += #"\t"#.utf8
            case 0..<0x20, 0x7F: bytes += ("\\u" + Hex.padded(UInt32(b), width: 4)).utf8
            case 0xE2:
                let rest = utf8[utf8.index(after: i)...].prefix(2)
                if rest.elementsEqual([0x80, 0xA8]) || rest.elementsEqual([0x80, 0xA9]) {
                    bytes += ("\\u" + (rest.last == 0xA8 ? "2028" : "2029")).utf8
                    i = utf8.index(i, offsetBy: 3)
                    continue
                }
                bytes.append(b)
            default: bytes.append(b)
            }
            i = utf8.index(after: i)
        }
        out += String(decoding: bytes, as: UTF8.self)
        out += "\""
    }

    /// A byte `writeString` cannot copy as it is (0xE2 may start U+2028/2029).
    static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0x7F || b == 0xE2
    }
}
