/// The two cookies the page uses, read and written by hand: `vt_form`
/// (the form nonce, for the browser session) and `vt_subject` (a week).
/// No Path attribute: the browser scopes them to the directory the page
/// is served from, which is the portal's prefix behind a reverse proxy.
public enum Cookies {
    public static let form = "vt_form"

    /// The value of cookie `name` in a Cookie header, if present once.
    public static func value(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        var found: String?
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0].trimmingSpaces == name else { continue }
            if found != nil { return nil }
            found = String(pair[1].trimmingSpaces)
        }
        return found
    }

    /// A Set-Cookie value: HttpOnly, SameSite=Strict, Secure when the page
    /// was reached over HTTPS (the proxy says so in X-Forwarded-Proto).
    public static func setCookie(_ name: String, _ value: String, maxAge: Int? = nil, secure: Bool) -> String {
        var text = "\(name)=\(value); HttpOnly; SameSite=Strict"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if secure { text += "; Secure" }
        return text
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
