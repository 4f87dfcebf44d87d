// PIIGate — the last line of defence between a producer and the store.
//
// Security stance: signals carry no free text (DESIGN §2, P1), so anything
// that looks like an identifier of a person is a producer bug or an attack,
// and the whole line is rejected. The gate errs on the side of rejecting: a
// false positive costs one quarantined line (without its content); a false
// negative could put a pupil's phone number in a log. It never echoes what
// it found: the result is a detector kind, which becomes a reason code.
//
// It is pure and allocation-free on ASCII input: hand-written scanners over
// bytes, no regex engine, no Foundation. A value that holds non-ASCII is
// first folded to ASCII (fullwidth forms, Unicode digits and spaces mapped,
// zero-width characters dropped) so that look-alike characters cannot carry
// a number or an address past the scanners.
//
// Detectors run in a fixed order and the first hit is reported:
//   email, url, iban, mac, ip (v6, then v4), phone, bsn, handle, digits.
// What each one matches is documented on `PIIDetector`.

/// One kind of personal data the gate recognises.
public enum PIIDetector: String, CaseIterable, Hashable, Sendable {
    /// `local@domain.tld`: one or more of `[A-Za-z0-9._%+-]` before `@`, then
    /// two or more dot-separated labels of `[A-Za-z0-9-]`, the last of them
    /// two or more letters.
    case email
    /// `scheme://` (two or more letters before `://`), `www.` at the start of
    /// a word followed by a letter or digit, or a bare domain `label.tld`
    /// whose TLD is on a short list (`nl com net org eu be de fr uk io me tv
    /// gg co info biz xyz app dev ly ru cn us tk online site shop`) and ends
    /// the word. The bare-domain rule is skipped for a value that is exactly a
    /// configured vocabulary value, and never fires on taxonomy-style names
    /// such as `sextortion.payment` or `image.shared` (not on the list).
    case url
    /// An IBAN of a listed (mostly European) country with that country's
    /// exact length, upper or lower case, optionally grouped with single
    /// spaces, that passes the ISO 13616 mod-97 check. A failing checksum is
    /// not an IBAN hit (the digits rule may still fire).
    case iban
    /// `aa:bb:cc:dd:ee:ff` or `aa-bb-cc-dd-ee-ff` (six hex pairs, one
    /// separator throughout) or `aabb.ccdd.eeff`, not part of a longer chain
    /// and not glued to letters or digits. A bare 12-hex-digit string is not
    /// matched (it is indistinguishable from an id).
    case mac
    /// IPv4 dotted quad (octets 0–255, not part of a longer dotted number)
    /// or IPv6: eight groups of 1–4 hex digits, or a `::`-compressed form with
    /// at least two explicit groups, optionally ending in a dotted quad.
    /// Tokens like `x:y:z`, `a:b`, `::1` and clock times do not match.
    case ip
    /// A Dutch phone number: `0` + nine digits whose first is 1–9 (mobile
    /// `06…` and landlines `010…`, `020…`), or `+31` / `0031` + nine digits,
    /// optionally with `(0)` after the country code; digits may be separated
    /// by up to two of ` -./()`. Also any international number written with
    /// `+`: a first digit 1–9 and 8–15 digits in all (`+32 470 12 34 56`).
    /// Not glued to a letter or digit on either
    /// side, so that hex ids (`…-0656-4904-55a7-…` in a UUID) do not match;
    /// `tel0612345678` is left to the digits rule.
    case phone
    /// A burgerservicenummer: a run of exactly nine digits, or eight (read
    /// with a leading zero), or nine written `123.456.789` / `1234.56.789`
    /// (separator `.`, `-` or space), that passes the 11-proof and is not all
    /// zeros, and not glued to a letter (`…de112752986f` in a UUID is not
    /// one; `bsn111222333` is left to the digits rule). Where the digits rule is off (`id`, `ts`) the eight-digit form
    /// is not checked: an all-decimal 8-character group (a UUID's first
    /// group, a hex counter) would pass the 11-proof one time in eleven and
    /// reject about one UUID-keyed signal in 500.
    case bsn
    /// `@` followed by two or more of `[A-Za-z0-9_.]` (not starting with
    /// `.`), when it is not an e-mail address.
    case handle
    /// Any run of eight or more digits. Not applied to `id` and `ts`.
    case digits

    /// The rejection reason this detector reports.
    public var reason: RejectReason {
        switch self {
        case .email: .piiEmail
        case .url: .piiURL
        case .iban: .piiIBAN
        case .mac: .piiMAC
        case .ip: .piiIP
        case .phone: .piiPhone
        case .bsn: .piiBSN
        case .handle: .piiHandle
        case .digits: .piiDigits
        }
    }
}

/// Scans text for personal data. See `PIIDetector` for what each detector
/// matches and the header of this file for the order they run in.
public enum PIIGate {
    /// Scans one decoded value (or key).
    ///
    /// - Parameters:
    ///   - text: the bytes of the value, UTF-8 (invalid sequences are
    ///     treated as separators).
    ///   - digitsRule: whether the 8+-digit rule applies (not for `id`, `ts`).
    ///   - isVocabularyValue: the value is exactly a configured vocabulary
    ///     value; skips the bare-domain URL rule only.
    /// - Returns: the first detector that fires, or nil.
    public static func scan(
        _ text: UnsafeRawBufferPointer, digitsRule: Bool = true, isVocabularyValue: Bool = false
    ) -> PIIDetector? {
        var nonASCII = false
        for b in text where b >= 0x80 {
            nonASCII = true
            break
        }
        guard nonASCII else { return scanASCII(text, digitsRule: digitsRule, exemptDomain: isVocabularyValue) }
        return withUnsafeTemporaryAllocation(byteCount: max(text.count, 1), alignment: 1) { buffer in
            let folded = PIIFolding.fold(text, into: buffer)
            return scanASCII(folded, digitsRule: digitsRule, exemptDomain: isVocabularyValue)
        }
    }

    /// Scans a `String`; for tests and tools.
    public static func scan(_ text: String, digitsRule: Bool = true, isVocabularyValue: Bool = false) -> PIIDetector? {
        var copy = text
        return copy.withUTF8 { scan(UnsafeRawBufferPointer($0), digitsRule: digitsRule, isVocabularyValue: isVocabularyValue) }
    }

    /// Scans a whole raw line that could not be decoded (not UTF-8, not
    /// JSON, too long): JSON escapes are undone loosely, then every detector
    /// runs over the line as one text, the digits rule included. Because
    /// `id` cannot be told apart here, a digit-heavy id in a malformed line
    /// may be reported as `pii_digits`: on purpose, that errs towards
    /// quarantining without content.
    public static func scanRawLine(_ line: UnsafeRawBufferPointer) -> PIIDetector? {
        withUnsafeTemporaryAllocation(byteCount: max(line.count, 1), alignment: 1) { buffer in
            scan(PIIFolding.unescapeJSON(line, into: buffer), digitsRule: true)
        }
    }

    /// The detectors in order over ASCII text. A cheap first pass counts the
    /// characters each detector needs, so most values skip most detectors.
    static func scanASCII(_ t: UnsafeRawBufferPointer, digitsRule: Bool, exemptDomain: Bool) -> PIIDetector? {
        var ats = 0, colons = 0, dots = 0, dashes = 0, slashes = 0
        var digitCount = 0, run = 0, maxRun = 0
        for b in t {
            if isDigit(b) {
                digitCount += 1
                run += 1
                if run > maxRun { maxRun = run }
                continue
            }
            run = 0
            switch b {
            case UInt8(ascii: "@"): ats += 1
            case UInt8(ascii: ":"): colons += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "-"): dashes += 1
            case UInt8(ascii: "/"): slashes += 1
            default: break
            }
        }
        let n = t.count
        if ats > 0, PIIScan.hasEmail(t) { return .email }
        if dots > 0 || slashes > 1, PIIScan.hasURL(t, exemptBareDomain: exemptDomain) { return .url }
        if n >= 15, digitCount >= 2, PIIScan.hasIBAN(t) { return .iban }
        if n >= 14, colons >= 5 || dashes >= 5 || dots >= 2, PIIScan.hasMAC(t) { return .mac }
        if colons >= 2, PIIScan.hasIPv6(t) { return .ip }
        if dots >= 3, digitCount >= 4, PIIScan.hasIPv4(t) { return .ip }
        if digitCount >= 10, PIIScan.hasDutchPhone(t) { return .phone }
        if digitCount >= 8, PIIScan.hasInternationalPhone(t) { return .phone }
        if digitCount >= 8, PIIScan.hasBSN(t, eightDigitForm: digitsRule) { return .bsn }
        if ats > 0, PIIScan.hasHandle(t) { return .handle }
        if digitsRule, maxRun >= 8 { return .digits }
        return nil
    }
}

/// The byte-level scanners, one per detector, over ASCII text.
enum PIIScan {}

@inline(__always) func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
@inline(__always) func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
@inline(__always) func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
