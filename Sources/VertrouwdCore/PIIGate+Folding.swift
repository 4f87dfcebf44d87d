/// Folding text to ASCII before the PII scanners run, so that look-alike
/// characters cannot smuggle a number or an address past them.
///
/// Each code point becomes at most one byte, so the output never outgrows
/// the input:
/// - fullwidth forms U+FF01–FF5E → their ASCII twins (`０６` → `06`, `＠` → `@`);
/// - decimal digits of other scripts (Arabic-Indic, Devanagari, Bengali,
///   Thai, N'Ko, sub- and superscripts, mathematical digits) → `0`–`9`;
/// - Unicode spaces → space; dashes and the minus sign → `-`; ideographic
///   full stops → `.`; small commercial at → `@`;
/// - zero-width characters and the soft hyphen → dropped;
/// - any other code point → `x` (a letter, so words stay joined);
/// - bytes that are not valid UTF-8 → space.
enum PIIFolding {
    static func fold(_ text: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        let n = text.count
        var i = 0
        var o = 0
        while i < n {
            let b0 = text[i]
            if b0 < 0x80 {
                out[o] = b0
                o += 1
                i += 1
                continue
            }
            guard let (scalar, length) = decode(text, at: i) else {
                out[o] = 0x20
                o += 1
                i += 1
                continue
            }
            i += length
            if let mapped = map(scalar) {
                out[o] = mapped
                o += 1
            }
        }
        return UnsafeRawBufferPointer(rebasing: out[0..<o])
    }

    /// One UTF-8 sequence at `i`, strictly; nil when invalid.
    static func decode(_ t: UnsafeRawBufferPointer, at i: Int) -> (UInt32, Int)? {
        let b0 = t[i]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        var scalar: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; scalar = UInt32(b0 & 0x1F)
        case 0xE0: length = 3; lower = 0xA0; scalar = UInt32(b0 & 0x0F)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; scalar = UInt32(b0 & 0x0F)
        case 0xED: length = 3; upper = 0x9F; scalar = UInt32(b0 & 0x0F)
        case 0xF0: length = 4; lower = 0x90; scalar = UInt32(b0 & 0x07)
        case 0xF1...0xF3: length = 4; scalar = UInt32(b0 & 0x07)
        case 0xF4: length = 4; upper = 0x8F; scalar = UInt32(b0 & 0x07)
        default: return nil
        }
        guard t.count - i >= length else { return nil }
        let b1 = t[i + 1]
        guard b1 >= lower, b1 <= upper else { return nil }
        scalar = scalar << 6 | UInt32(b1 & 0x3F)
        for k in 2..<max(2, length) {
            let b = t[i + k]
            guard b & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(b & 0x3F)
        }
        return (scalar, length)
    }

    /// The ASCII byte a non-ASCII scalar folds to, or nil to drop it.
    static func map(_ s: UInt32) -> UInt8? {
        switch s {
        case 0xFF01...0xFF5E: return UInt8(s - 0xFEE0)
        case 0x00AD, 0x180E, 0x200B...0x200D, 0x2060, 0xFEFF: return nil
        case 0x00A0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return 0x20
        case 0x2010...0x2015, 0x2212, 0xFE63, 0xFE58: return UInt8(ascii: "-")
        case 0x3002, 0xFF61, 0xFE52, 0x2024: return UInt8(ascii: ".")
        case 0xFE6B: return UInt8(ascii: "@")
        case 0xFE55: return UInt8(ascii: ":")
        case 0x2070: return UInt8(ascii: "0")
        case 0x00B9: return UInt8(ascii: "1")
        case 0x00B2: return UInt8(ascii: "2")
        case 0x00B3: return UInt8(ascii: "3")
        case 0x2074...0x2079: return UInt8(s - 0x2070) + 0x30
        case 0x2080...0x2089: return UInt8(s - 0x2080) + 0x30
        case 0x0660...0x0669: return UInt8(s - 0x0660) + 0x30
        case 0x06F0...0x06F9: return UInt8(s - 0x06F0) + 0x30
        case 0x07C0...0x07C9: return UInt8(s - 0x07C0) + 0x30
        case 0x0966...0x096F: return UInt8(s - 0x0966) + 0x30
        case 0x09E6...0x09EF: return UInt8(s - 0x09E6) + 0x30
        case 0x0E50...0x0E59: return UInt8(s - 0x0E50) + 0x30
        case 0x1D7CE...0x1D7FF: return UInt8((s - 0x1D7CE) % 10) + 0x30
        default: return UInt8(ascii: "x")
        }
    }

    /// Undoes JSON escapes loosely in a raw line that failed to decode:
    /// `\uXXXX` (with surrogate pairs) becomes UTF-8 (`\u0000` nothing), `\/`
    /// `\"` `\\` their character, other escapes a space. Never longer than
    /// the input.
    static func unescapeJSON(_ line: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        let n = line.count
        var i = 0
        var o = 0
        func hex4(_ at: Int) -> UInt32? {
            guard n - at >= 4 else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                let b = line[at + k]
                guard isHex(b) else { return nil }
                v = v << 4 | UInt32(isDigit(b) ? b - 0x30 : (b | 0x20) - 0x61 + 10)
            }
            return v
        }
        while i < n {
            let b = line[i]
            guard b == UInt8(ascii: "\\"), i + 1 < n else {
                out[o] = b
                o += 1
                i += 1
                continue
            }
            let e = line[i + 1]
            switch e {
            case UInt8(ascii: "/"), UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out[o] = e
                o += 1
                i += 2
            case UInt8(ascii: "u"):
                guard var s = hex4(i + 2) else {
                    out[o] = 0x20
                    o += 1
                    i += 2
                    continue
                }
                var used = 6
                if (0xD800...0xDBFF).contains(s), n - i >= 12, line[i + 6] == UInt8(ascii: "\\"),
                   line[i + 7] == UInt8(ascii: "u"), let low = hex4(i + 8), (0xDC00...0xDFFF).contains(low) {
                    s = 0x10000 + ((s - 0xD800) << 10) + (low - 0xDC00)
                    used = 12
                }
                i += used
                if (0xD800...0xDFFF).contains(s) {
                    out[o] = 0x20
                    o += 1
                } else if s == 0 {
                    // `\u0000` is dropped, as raw NULs are: NUL padding
                    // must not split a number into harmless pieces.
                } else if s < 0x80 {
                    out[o] = UInt8(s)
                    o += 1
                } else if let mapped = map(s) {
                    // Folded right away: at most one byte per escape.
                    out[o] = mapped
                    o += 1
                }
            default:
                out[o] = 0x20
                o += 1
                i += 2
            }
        }
        return UnsafeRawBufferPointer(rebasing: out[0..<o])
    }
}
