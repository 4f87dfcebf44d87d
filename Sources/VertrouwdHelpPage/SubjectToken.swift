/// The one-week pseudonym of a browser (issue 14; DESIGN §2 `subject`):
/// a random token in a cookie, made when a report is first sent and kept
/// for a week from then, so that one browser counts as one pupil.
///
/// Nothing on the server remembers it. Until the daemon's validator
/// accepts the `subject` field (the privacy issue), `ReportSignal` keeps
/// it out of the signal; see `ReportSignal.carriesSubject`.
public enum SubjectToken {
    /// The cookie's name.
    public static let cookie = "vt_subject"
    /// One week, in seconds: the cookie's Max-Age, counted from its making.
    public static let maxAge = 7 * 24 * 3_600
    /// 16 random bytes in base64url: 22 characters of `[A-Za-z0-9_-]`,
    /// inside the subject format's 16–64.
    public static let length = 22

    public static func make(random: some RandomBytes) -> String {
        Base64URL.encode(random.bytes(16))
    }

    /// Whether a cookie value is a token this page made (any other value
    /// is replaced, never used).
    public static func isValid(_ text: String) -> Bool {
        Base64URL.isEncoded(text, length: length)
    }
}
