/// The one-week pseudonym of a browser (issue 14; DESIGN §2 `subject`):
/// a random token in a cookie, made when a report is first sent and kept
/// for a week from then, so that one browser counts as one pupil.
///
/// Nothing on the server remembers it; the daemon re-keys it per week and
/// counts it as a pupil (issue 13).
///
/// Lower-case letters only: the daemon's PII gate scans every value, the
/// subject included, and a token with digits could now and then look like
/// an IBAN or a run of digits and have a real report rejected. 28 letters
/// hold 131 bits.
public enum SubjectToken {
    /// The cookie's name.
    public static let cookie = "vt_subject"
    /// One week, in seconds: the cookie's Max-Age, counted from its making.
    public static let maxAge = 7 * 24 * 3_600
    /// 28 characters of `a`–`z`, inside the subject format's 16–64.
    public static let length = 28

    public static func make(random: some RandomBytes) -> String {
        var letters: [UInt8] = []
        letters.reserveCapacity(length)
        while letters.count < length {
            // 234 = 9 × 26: bytes from 234 up would favour the first letters.
            for byte in random.bytes(length) where byte < 234 && letters.count < length {
                letters.append(UInt8(ascii: "a") + byte % 26)
            }
        }
        return String(decoding: letters, as: UTF8.self)
    }

    /// Whether a cookie value is a token this page made (any other value,
    /// an older base64url token included, is replaced, never used).
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    }
}
