import VertrouwdCore

/// Finds the first byte that breaks UTF-8, with its line and column (the
/// column counted in scalars, like every other position), so that a file
/// saved in Latin-1 gets one precise error instead of replacement characters.
enum UTF8Check {
    static func firstInvalid(in bytes: ArraySlice<UInt8>) -> SourcePosition? {
        guard let offset = bytes.withUnsafeBytes({ UTF8Validation.firstInvalidOffset($0) }) else { return nil }
        // Everything before the offset is valid: count lines and scalars in it.
        let prefix = String(decoding: bytes.prefix(offset), as: UTF8.self)
        var line = 1
        var column = 1
        for scalar in prefix.unicodeScalars {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourcePosition(line: line, column: column)
    }
}
