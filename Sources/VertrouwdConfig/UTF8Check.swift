/// Finds the first byte that breaks UTF-8, with its line and column (the
/// column counted in scalars, like every other position), so that a file
/// saved in Latin-1 gets one precise error instead of replacement characters.
enum UTF8Check {
    static func firstInvalid(in bytes: ArraySlice<UInt8>) -> SourcePosition? {
        var line = 1
        var column = 1
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let length = sequenceLength(bytes, at: i)
            guard length > 0 else { return SourcePosition(line: line, column: column) }
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += length
        }
        return nil
    }

    /// The length of the well-formed sequence starting at `i`, or 0 (per the
    /// Unicode table of well-formed byte sequences: no overlong forms, no
    /// surrogates, nothing above U+10FFFF).
    private static func sequenceLength(_ b: ArraySlice<UInt8>, at i: Int) -> Int {
        func continuation(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            i + k < b.endIndex && range.contains(b[i + k])
        }
        switch b[i] {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }
}
