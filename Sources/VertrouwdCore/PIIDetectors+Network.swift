// The PII gate's scanners for addresses: e-mail, @handle, URL, MAC, IP.
// Each takes ASCII text (already folded) and answers yes or no; what they
// match is specified on `PIIDetector`.

extension PIIScan {
    @inline(__always) static func isLocalPartChar(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "%")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    @inline(__always) static func isLabelChar(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: "-")
    }

    static func hasEmail(_ t: UnsafeRawBufferPointer) -> Bool {
        let n = t.count
        for i in 0..<n where t[i] == UInt8(ascii: "@") {
            guard i > 0, isLocalPartChar(t[i - 1]) else { continue }
            var j = i + 1
            var labels = 0
            var lastIsTLD = false
            while true {
                let start = j
                var alpha = true
                while j < n, isLabelChar(t[j]) {
                    if !isAlpha(t[j]) { alpha = false }
                    j += 1
                }
                guard j > start else { break }
                labels += 1
                lastIsTLD = alpha && j - start >= 2
                guard j + 1 < n, t[j] == UInt8(ascii: "."), isAlnum(t[j + 1]) else { break }
                j += 1
            }
            if labels >= 2, lastIsTLD { return true }
        }
        return false
    }

    static func hasHandle(_ t: UnsafeRawBufferPointer) -> Bool {
        let n = t.count
        for i in 0..<n where t[i] == UInt8(ascii: "@") {
            var j = i + 1
            guard j < n, t[j] != UInt8(ascii: ".") else { continue }
            while j < n, isAlnum(t[j]) || t[j] == UInt8(ascii: "_") || t[j] == UInt8(ascii: ".") { j += 1 }
            if j - (i + 1) >= 2 { return true }
        }
        return false
    }

    // MARK: URL

    /// Top-level domains the bare-domain rule knows, lower case. Kept short on
    /// purpose: every entry is a word that can no longer end a dotted name.
    static let knownTLDs: [UInt64] = [
        "nl", "com", "net", "org", "eu", "be", "de", "fr", "uk", "io", "me", "tv", "gg", "co",
        "info", "biz", "xyz", "app", "dev", "ly", "ru", "cn", "us", "tk", "online", "site", "shop",
    ].map { packLower(Array($0.utf8)[...]) }

    /// Up to eight letters, lower-cased, packed into one word.
    @inline(__always) static func packLower(_ letters: some Collection<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for b in letters { v = v << 8 | UInt64(b | 0x20) }
        return v
    }

    static func hasURL(_ t: UnsafeRawBufferPointer, exemptBareDomain: Bool) -> Bool {
        let n = t.count
        var i = 0
        while i < n {
            let b = t[i]
            // scheme://
            if b == UInt8(ascii: ":"), i >= 2, n - i >= 3, t[i + 1] == UInt8(ascii: "/"), t[i + 2] == UInt8(ascii: "/"),
               isAlpha(t[i - 1]), isAlpha(t[i - 2]) {
                return true
            }
            // www.
            if b | 0x20 == UInt8(ascii: "w"), n - i >= 5, i == 0 || !isAlnum(t[i - 1]),
               t[i + 1] | 0x20 == UInt8(ascii: "w"), t[i + 2] | 0x20 == UInt8(ascii: "w"),
               t[i + 3] == UInt8(ascii: "."), isAlnum(t[i + 4]) {
                return true
            }
            // label.tld
            if b == UInt8(ascii: "."), !exemptBareDomain, i > 0, isLabelChar(t[i - 1]) || t[i - 1] == UInt8(ascii: "_") {
                var j = i + 1
                while j < n, isAlpha(t[j]) { j += 1 }
                let length = j - (i + 1)
                if (2...6).contains(length), endsWord(t, at: j) {
                    let tld = packLower(UnsafeRawBufferPointer(rebasing: t[(i + 1)..<j]))
                    if knownTLDs.contains(tld) { return true }
                }
            }
            i += 1
        }
        return false
    }

    /// Whether a name ends at `j`: the end, or a character that cannot
    /// continue a label (a dot followed by a label continues it).
    @inline(__always) static func endsWord(_ t: UnsafeRawBufferPointer, at j: Int) -> Bool {
        guard j < t.count else { return true }
        let c = t[j]
        if isLabelChar(c) || c == UInt8(ascii: "_") { return false }
        if c == UInt8(ascii: "."), j + 1 < t.count, isAlnum(t[j + 1]) { return false }
        return true
    }

    // MARK: MAC

    static func hasMAC(_ t: UnsafeRawBufferPointer) -> Bool {
        let n = t.count
        for i in 0..<n where isHex(t[i]) && (i == 0 || !isAlnum(t[i - 1])) {
            if n - i >= 17, t[i + 2] == UInt8(ascii: ":") || t[i + 2] == UInt8(ascii: "-") {
                let sep = t[i + 2]
                var ok = true
                for k in 0..<6 {
                    let p = i + 3 * k
                    guard isHex(t[p]), isHex(t[p + 1]), k == 5 || t[p + 2] == sep else { ok = false; break }
                }
                let chainedBefore = i >= 3 && t[i - 1] == sep && isHex(t[i - 2]) && isHex(t[i - 3])
                let end = i + 17
                let chainedAfter = end < n && (isAlnum(t[end]) || (t[end] == sep && end + 1 < n && isHex(t[end + 1])))
                if ok, !chainedBefore, !chainedAfter { return true }
            }
            if n - i >= 14, t[i + 4] == UInt8(ascii: ".") {
                var ok = true
                for k in 0..<3 {
                    let p = i + 5 * k
                    guard isHex(t[p]), isHex(t[p + 1]), isHex(t[p + 2]), isHex(t[p + 3]),
                          k == 2 || t[p + 4] == UInt8(ascii: ".")
                    else { ok = false; break }
                }
                let end = i + 14
                let chainedBefore = i >= 2 && t[i - 1] == UInt8(ascii: ".") && isAlnum(t[i - 2])
                let chainedAfter = end < n && (isAlnum(t[end]) || (t[end] == UInt8(ascii: ".") && end + 1 < n && isAlnum(t[end + 1])))
                if ok, !chainedBefore, !chainedAfter { return true }
            }
        }
        return false
    }

    // MARK: IP

    static func hasIPv4(_ t: UnsafeRawBufferPointer) -> Bool {
        let n = t.count
        for i in 0..<n where isDigit(t[i]) && (i == 0 || (!isDigit(t[i - 1]) && t[i - 1] != UInt8(ascii: "."))) {
            if let end = dottedQuad(t, from: i, limit: n),
               !(end < n && (isDigit(t[end]) || (t[end] == UInt8(ascii: ".") && end + 1 < n && isDigit(t[end + 1])))) {
                return true
            }
        }
        return false
    }

    /// Four octets 0–255 from `i`; the index after them, or nil.
    static func dottedQuad(_ t: UnsafeRawBufferPointer, from i: Int, limit: Int) -> Int? {
        var j = i
        for octet in 0..<4 {
            if octet > 0 {
                guard j < limit, t[j] == UInt8(ascii: ".") else { return nil }
                j += 1
            }
            let start = j
            var value = 0
            while j < limit, isDigit(t[j]), j - start < 3 {
                value = value * 10 + Int(t[j] - 0x30)
                j += 1
            }
            guard j > start, value <= 255, !(j < limit && isDigit(t[j])) else { return nil }
        }
        return j
    }

    @inline(__always) static func isIPv6Char(_ b: UInt8) -> Bool {
        isHex(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: ".")
    }

    static func hasIPv6(_ t: UnsafeRawBufferPointer) -> Bool {
        let n = t.count
        var i = 0
        while i < n {
            guard isIPv6Char(t[i]) else {
                i += 1
                continue
            }
            let start = i
            var colons = 0
            while i < n, isIPv6Char(t[i]) {
                if t[i] == UInt8(ascii: ":") { colons += 1 }
                i += 1
            }
            var end = i
            while end > start, t[end - 1] == UInt8(ascii: ".") { end -= 1 }
            if colons >= 2, start == 0 || !isAlnum(t[start - 1]), i == n || !isAlnum(t[i]),
               isIPv6(t, start, end) {
                return true
            }
        }
        return false
    }

    static func isIPv6(_ t: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var p = start
        var groups = 0
        var compressed = false
        if end - p >= 2, t[p] == UInt8(ascii: ":"), t[p + 1] == UInt8(ascii: ":") {
            compressed = true
            p += 2
        } else if p < end, t[p] == UInt8(ascii: ":") {
            return false
        }
        while p < end {
            let groupStart = p
            while p < end, isHex(t[p]), p - groupStart < 5 { p += 1 }
            if p < end, t[p] == UInt8(ascii: ".") {
                guard dottedQuad(t, from: groupStart, limit: end) == end else { return false }
                groups += 2
                p = end
                break
            }
            guard (1...4).contains(p - groupStart) else { return false }
            groups += 1
            if p == end { break }
            guard t[p] == UInt8(ascii: ":") else { return false }
            if p + 1 < end, t[p + 1] == UInt8(ascii: ":") {
                guard !compressed else { return false }
                compressed = true
                p += 2
            } else {
                p += 1
                guard p < end else { return false }
            }
        }
        return compressed ? (2...7).contains(groups) : groups == 8
    }
}
