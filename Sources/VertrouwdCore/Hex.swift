/// Hexadecimal digits: the one encoder behind spool file IDs, quoted-
/// printable escapes and the `\u` escapes and `U+` code points of messages.
public enum Hex {
    private static let lower = Array("0123456789abcdef".utf8)
    private static let upper = Array("0123456789ABCDEF".utf8)

    /// Two digits per byte, most significant first: `[0x0a, 0xff]` → `0aff`.
    public static func digits<S: Sequence<UInt8>>(_ bytes: S, uppercase: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { append(byte, to: &out, uppercase: uppercase) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the two digits of `byte` to `out`.
    public static func append(_ byte: UInt8, to out: inout [UInt8], uppercase: Bool = false) {
        let table = uppercase ? upper : lower
        out.append(table[Int(byte >> 4)])
        out.append(table[Int(byte & 0xF)])
    }

    /// `value` in hex, padded with zeros to at least `width` digits:
    /// `padded(0x1F, width: 4)` → `001f`.
    public static func padded(_ value: UInt32, width: Int, uppercase: Bool = false) -> String {
        let table = uppercase ? upper : lower
        var significant = 1
        while significant < 8, value >> (4 * UInt32(significant)) != 0 { significant += 1 }
        var out: [UInt8] = Array(repeating: table[0], count: max(0, width - significant))
        for shift in stride(from: 4 * (significant - 1), through: 0, by: -4) {
            out.append(table[Int((value >> UInt32(shift)) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
