// The PII gate's scanners for numbers: Dutch phone numbers, IBAN (mod-97),
// BSN (11-proof). The 8+-digit rule is a counter in `PIIGate.scanASCII`.

extension PIIScan {
    @inline(__always) static func isPhoneSeparator(_ b: UInt8) -> Bool {
        b == 0x20 || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "/")
            || b == UInt8(ascii: "(") || b == UInt8(ascii: ")")
    }

    static func hasDutchPhone(_ t: UnsafeRawBufferPointer) -> Bool {
        let n = t.count
        for i in 0..<n {
            let b = t[i]
            var p: Int
            var international = false
            if b == UInt8(ascii: "+") {
                guard n - i >= 3, t[i + 1] == UInt8(ascii: "3"), t[i + 2] == UInt8(ascii: "1") else { continue }
                p = i + 3
                international = true
            } else if b == UInt8(ascii: "0"), i == 0 || !isAlnum(t[i - 1]) {
                if n - i >= 4, t[i + 1] == UInt8(ascii: "0"), t[i + 2] == UInt8(ascii: "3"), t[i + 3] == UInt8(ascii: "1") {
                    p = i + 4
                    international = true
                } else {
                    guard n - i >= 2, t[i + 1] &- 0x31 < 9 else { continue }
                    p = i + 1
                }
            } else {
                continue
            }
            if international {
                while p < n, p - i < 6, t[p] == 0x20 || t[p] == UInt8(ascii: "-") { p += 1 }
                if n - p >= 3, t[p] == UInt8(ascii: "("), t[p + 1] == UInt8(ascii: "0"), t[p + 2] == UInt8(ascii: ")") {
                    p = skipSeparators(t, from: p + 3)
                }
                guard p < n, t[p] &- 0x31 < 9 else { continue }
            }
            // Nine digits, at most two separator characters between two.
            var count = 0
            while p < n, count < 9 {
                if isDigit(t[p]) {
                    count += 1
                    p += 1
                    continue
                }
                let q = skipSeparators(t, from: p)
                guard q > p, q < n, isDigit(t[q]) else { break }
                p = q
            }
            if count == 9, !(p < n && isAlnum(t[p])) { return true }
        }
        return false
    }

    /// Any international number: `+`, a first digit 1–9, then 8–15 digits in
    /// all (E.164 allows 15), up to two separators between two digits; not
    /// glued to a letter or digit.
    static func hasInternationalPhone(_ t: UnsafeRawBufferPointer) -> Bool {
        let n = t.count
        for i in 0..<n where t[i] == UInt8(ascii: "+") && (i == 0 || !isAlnum(t[i - 1])) {
            var p = i + 1
            guard p < n, t[p] &- 0x31 < 9 else { continue }
            var count = 0
            while p < n, count <= 15 {
                if isDigit(t[p]) {
                    count += 1
                    p += 1
                    continue
                }
                let q = skipSeparators(t, from: p)
                guard q > p, q < n, isDigit(t[q]) else { break }
                p = q
            }
            if (8...15).contains(count), !(p < n && isAlnum(t[p])) { return true }
        }
        return false
    }

    /// Skips at most two separator characters.
    @inline(__always) static func skipSeparators(_ t: UnsafeRawBufferPointer, from p: Int) -> Int {
        var q = p
        while q < t.count, q - p < 2, isPhoneSeparator(t[q]) { q += 1 }
        return q
    }

    // MARK: IBAN

    /// IBAN lengths (ISO 13616 registry) for the countries the gate knows:
    /// the EU/EEA, the UK, Switzerland and a few neighbours.
    static func ibanLength(_ a: UInt8, _ b: UInt8) -> Int? {
        switch (a, b) {
        case (0x4E, 0x4C): 18  // NL
        case (0x42, 0x45): 16  // BE
        case (0x44, 0x45): 22  // DE
        case (0x46, 0x52): 27  // FR
        case (0x47, 0x42): 22  // GB
        case (0x4C, 0x55): 20  // LU
        case (0x41, 0x54): 20  // AT
        case (0x43, 0x48): 21  // CH
        case (0x4C, 0x49): 21  // LI
        case (0x45, 0x53): 24  // ES
        case (0x50, 0x54): 25  // PT
        case (0x49, 0x54): 27  // IT
        case (0x49, 0x45): 22  // IE
        case (0x44, 0x4B): 18  // DK
        case (0x46, 0x49): 18  // FI
        case (0x53, 0x45): 24  // SE
        case (0x4E, 0x4F): 15  // NO
        case (0x49, 0x53): 26  // IS
        case (0x50, 0x4C): 28  // PL
        case (0x43, 0x5A): 24  // CZ
        case (0x53, 0x4B): 24  // SK
        case (0x48, 0x55): 28  // HU
        case (0x53, 0x49): 19  // SI
        case (0x48, 0x52): 21  // HR
        case (0x52, 0x4F): 24  // RO
        case (0x42, 0x47): 22  // BG
        case (0x47, 0x52): 27  // GR
        case (0x43, 0x59): 28  // CY
        case (0x4D, 0x54): 31  // MT
        case (0x45, 0x45): 20  // EE
        case (0x4C, 0x56): 21  // LV
        case (0x4C, 0x54): 20  // LT
        case (0x54, 0x52): 26  // TR
        case (0x4D, 0x43): 27  // MC
        default: nil
        }
    }

    /// Folds one IBAN character into a running mod-97 remainder (letters
    /// count as two digits, A = 10 … Z = 35).
    @inline(__always) static func mod97(_ m: Int, _ c: UInt8) -> Int {
        isDigit(c) ? (m * 10 + Int(c - 0x30)) % 97 : (m * 100 + Int((c & ~0x20) - 0x41 + 10)) % 97
    }

    static func hasIBAN(_ t: UnsafeRawBufferPointer) -> Bool {
        let n = t.count
        var i = 0
        while n - i >= 15 {
            defer { i += 1 }
            guard isAlpha(t[i]), i == 0 || !isAlnum(t[i - 1]), isAlpha(t[i + 1]),
                  isDigit(t[i + 2]), isDigit(t[i + 3]),
                  let length = ibanLength(t[i] & ~0x20, t[i + 1] & ~0x20)
            else { continue }
            var p = i + 4
            var count = 0
            var m = 0
            while p < n, count < length - 4 {
                let c = t[p]
                if isAlnum(c) {
                    m = mod97(m, c)
                    count += 1
                    p += 1
                } else if c == 0x20, p + 1 < n, isAlnum(t[p + 1]) {
                    p += 1
                } else {
                    break
                }
            }
            guard count == length - 4, p == n || !isAlnum(t[p]) else { continue }
            for k in 0..<4 { m = mod97(m, t[i + k]) }
            if m == 1 { return true }
        }
        return false
    }

    // MARK: BSN

    /// The 11-proof for a BSN: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11),
    /// and not all zeros.
    static func passesElevenProof(_ digits: (Int, Int, Int, Int, Int, Int, Int, Int, Int)) -> Bool {
        let d = digits
        let sum = 9 * d.0 + 8 * d.1 + 7 * d.2 + 6 * d.3 + 5 * d.4 + 4 * d.5 + 3 * d.6 + 2 * d.7 - d.8
        let zero = d.0 | d.1 | d.2 | d.3 | d.4 | d.5 | d.6 | d.7 | d.8 == 0
        return !zero && sum % 11 == 0
    }

    static func hasBSN(_ t: UnsafeRawBufferPointer, eightDigitForm: Bool) -> Bool {
        let n = t.count
        @inline(__always) func d(_ k: Int) -> Int { Int(t[k] - 0x30) }
        var i = 0
        while i < n {
            guard isDigit(t[i]) else {
                i += 1
                continue
            }
            let s = i
            while i < n, isDigit(t[i]) { i += 1 }
            // Not glued to letters: hex ids hold decimal runs by chance.
            guard s == 0 || !isAlpha(t[s - 1]) else { continue }
            let freeAfter = i == n || !isAlpha(t[i])
            switch i - s {
            case 9 where freeAfter:
                if passesElevenProof((d(s), d(s + 1), d(s + 2), d(s + 3), d(s + 4), d(s + 5), d(s + 6), d(s + 7), d(s + 8))) {
                    return true
                }
            case 8 where eightDigitForm && freeAfter:
                if passesElevenProof((0, d(s), d(s + 1), d(s + 2), d(s + 3), d(s + 4), d(s + 5), d(s + 6), d(s + 7))) {
                    return true
                }
            case 3, 4:
                // 123.456.789 or 1234.56.789, one separator throughout.
                let first = i - s
                let second = first == 3 ? 3 : 2
                let total = first + 1 + second + 1 + 3
                guard n - s >= total else { continue }
                let sep = t[i]
                guard sep == UInt8(ascii: ".") || sep == UInt8(ascii: "-") || sep == 0x20 else { continue }
                let a = s + first + 1
                let b = a + second + 1
                guard t[b - 1] == sep, (a..<(b - 1)).allSatisfy({ isDigit(t[$0]) }),
                      (b..<(b + 3)).allSatisfy({ isDigit(t[$0]) }),
                      !(b + 3 < n && isAlnum(t[b + 3]))
                else { continue }
                let ds: (Int, Int, Int, Int, Int, Int, Int, Int, Int) = first == 3
                    ? (d(s), d(s + 1), d(s + 2), d(a), d(a + 1), d(a + 2), d(b), d(b + 1), d(b + 2))
                    : (d(s), d(s + 1), d(s + 2), d(s + 3), d(a), d(a + 1), d(b), d(b + 1), d(b + 2))
                if passesElevenProof(ds) { return true }
            default:
                break
            }
        }
        return false
    }
}
