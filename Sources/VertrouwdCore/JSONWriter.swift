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
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0x7F:
                out += "\\u" + Hex.padded(scalar.value, width: 4)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
