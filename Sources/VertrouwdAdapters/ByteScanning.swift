// Byte-level helpers the parsers share: they work on ArraySlice<UInt8>
// so that a million lines are read without building a String per line.
extension ArraySlice where Element == UInt8 {
    /// The index of the first occurrence of `needle`, if any.
    func firstIndex(of needle: [UInt8], from start: Int? = nil) -> Int? {
        guard let first = needle.first else { return nil }
        var i = start ?? startIndex
        let last = endIndex - needle.count
        while i <= last {
            if self[i] == first {
                var j = 1
                while j < needle.count && self[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The words separated by runs of `separator`.
    func words(separator: UInt8 = 0x20) -> [ArraySlice<UInt8>] {
        split(separator: separator, omittingEmptySubsequences: true)
    }

    /// Parses unsigned decimal digits only.
    var decimal: Int64? {
        guard !isEmpty, count <= 19 else { return nil }
        var n: Int64 = 0
        for b in self {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(b - 0x30))
            guard !o1, !o2 else { return nil }
            n = sum
        }
        return n
    }

    var text: Substring { Substring(decoding: self, as: UTF8.self) }
}

/// A DNS name as the lists compare it: lower-case ASCII, no trailing dot;
/// nil when it is not a plausible host name (1–253 bytes of letters,
/// digits, '-', '_' and '.', no empty label).
func normalizedHost(_ bytes: ArraySlice<UInt8>) -> String? {
    var slice = bytes
    if slice.last == 0x2E { slice = slice.dropLast() }
    guard !slice.isEmpty, slice.count <= 253 else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(slice.count)
    var previousDot = true
    for b in slice {
        switch b {
        case 0x41...0x5A: out.append(b | 0x20); previousDot = false
        case 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F: out.append(b); previousDot = false
        case 0x2E:
            guard !previousDot else { return nil }
            out.append(b); previousDot = true
        default: return nil
        }
    }
    guard !previousDot else { return nil }
    return String(decoding: out, as: UTF8.self)
}
