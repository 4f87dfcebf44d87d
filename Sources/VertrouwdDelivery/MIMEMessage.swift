// Renders an OutgoingMessage as an RFC 5322 / MIME message: multipart/
// alternative with quoted-printable UTF-8 text and HTML parts, CRLF line
// endings, no line over 76 octets in the bodies and none over 998 anywhere.
// Pure: no clock (the Date comes from the message), no I/O.
// Non-ASCII header text (the subject, the sender's display name) is
// written as RFC 2047 encoded-words.
// Security stance: header values are stripped of CR/LF and controls, so
// neither a subject, a display name nor an address can add headers.
import VertrouwdCore

/// RFC 5322 rendering of outgoing mail.
public enum MIMEMessage {
    /// The full message (headers and body) as bytes with CRLF line endings.
    ///
    /// The boundary starts with "=_", which quoted-printable output can never
    /// contain (a literal "=" is always encoded), so it cannot occur in a part.
    ///
    /// `fromName` is the sender's display name ("vertrouwd"); `replyTo`, if
    /// given, becomes the Reply-To header (IT's address, so that a reply
    /// reaches someone who can act on it).
    public static func render(_ m: OutgoingMessage, from: String, fromName: String? = nil, replyTo: String? = nil,
                              to: String, messageIDDomain: String) -> [UInt8] {
        let boundary = "=_vertrouwd_" + atext(m.id, fallback: "message")
        var out = ""
        func header(_ line: String) { out += line + "\r\n" }
        header("Date: " + rfc5322Date(m.created))
        header(fromHeader(name: fromName, address: from))
        if let replyTo, !address(replyTo).isEmpty { header("Reply-To: " + address(replyTo)) }
        header("To: " + address(to))
        header("Message-ID: <\(atext(m.id, fallback: "message"))@\(atext(messageIDDomain, fallback: "localhost"))>")
        header(encodeSubject(m.subject))
        header("MIME-Version: 1.0")
        header("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
        header("Auto-Submitted: auto-generated")
        header("X-Auto-Response-Suppress: All")
        header("")
        header("This is a multi-part message in MIME format.")
        for (type, body) in [("text/plain", m.text), ("text/html", m.html)] {
            header("--" + boundary)
            header("Content-Type: \(type); charset=utf-8")
            header("Content-Transfer-Encoding: quoted-printable")
            header("")
            header(quotedPrintable(body))
        }
        header("--" + boundary + "--")
        return Array(out.utf8)
    }

    // MARK: - Headers

    /// "Sun, 29 Nov 2026 21:31:58 +0000"
    static func rfc5322Date(_ epoch: Int64) -> String {
        let days = epoch >= 0 ? epoch / 86_400 : (epoch - 86_399) / 86_400
        let secs = epoch - days * 86_400
        let (y, mo, d) = civil(fromDays: days)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][mo - 1]
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(weekday), \(d) \(month) \(y) \(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60)) +0000"
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
    private static func civil(fromDays z0: Int64) -> (Int64, Int, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), Int(m), d)
    }

    /// An address as given, without characters that could end the header.
    static func address(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter {
            $0.value > 0x20 && $0.value != 0x7F && $0 != "," && $0 != ";"
        }))
    }

    /// "From: name <address>": the name as an RFC 5322 atom phrase when it
    /// can be, as a quoted-string when it is ASCII with specials, and as
    /// RFC 2047 encoded-words otherwise; no name gives the bare address.
    static func fromHeader(name: String?, address raw: String) -> String {
        let mailbox = address(raw)
        let words = oneLine(name ?? "").split(separator: " ")
        let clean = words.joined(separator: " ")
        guard !clean.isEmpty else { return "From: " + mailbox }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ".unicodeScalars)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) && !clean.contains("=?") {
            if clean.unicodeScalars.allSatisfy(atext.contains) { return "From: \(clean) <\(mailbox)>" }
            let quoted = clean.map { $0 == "\\" || $0 == "\"" ? "\\\($0)" : String($0) }.joined()
            return "From: \"\(quoted)\" <\(mailbox)>"
        }
        let encoded = encodedWords(clean, prefix: "From:")
        // The address goes on a line of its own when the last word's line has no room.
        let last = (encoded.count == 1 ? "From: " : " ") + encoded.last!
        let gap = last.utf8.count + 2 + mailbox.utf8.count + 1 > 76 ? "\r\n " : " "
        return "From: " + encoded.joined(separator: "\r\n ") + gap + "<\(mailbox)>"
    }

    /// Controls (CR, LF, TAB, …) become spaces: a header value is one line.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            ($0.value < 0x20 || $0.value == 0x7F) ? " " : $0
        }))
    }

    /// Keeps RFC 5322 atext (and "."), so ids and domains cannot break `<…>`.
    static func atext(_ text: String, fallback: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_!#$%&'*+/=?^`{|}~".unicodeScalars)
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter { allowed.contains($0) }))
        return kept.isEmpty ? fallback : kept
    }

    /// "Subject: …", as plain folded ASCII when possible, otherwise as RFC 2047
    /// "B" encoded-words (each ≤ 75 octets, whole UTF-8 characters) on folded lines.
    static func encodeSubject(_ subject: String) -> String {
        let clean = oneLine(subject)
        let words = clean.split(separator: " ", omittingEmptySubsequences: false)
        let plain = clean.unicodeScalars.allSatisfy { $0.isASCII }
            && !clean.contains("=?") && words.allSatisfy { $0.utf8.count <= 70 }
        if plain {
            return fold(prefix: "Subject:", words: words.map(String.init))
        }
        let chunks = encodedWords(clean, prefix: "Subject:")
        if chunks.isEmpty { return "Subject: " }
        return "Subject: " + chunks.joined(separator: "\r\n ")
    }

    /// RFC 2047 "B" encoded-words of UTF-8 text, holding whole characters,
    /// to be joined by folding white space (which a reader drops between
    /// adjacent encoded-words). Every line stays within RFC 2047's 76
    /// octets: the first word follows `prefix` ("Subject:") and a space,
    /// each later one a single space of folding.
    static func encodedWords(_ clean: String, prefix: String) -> [String] {
        // "=?utf-8?B?" + base64 + "?=": 12 octets plus 4 per 3 input octets.
        func capacity(_ room: Int) -> Int { (room - 12) / 4 * 3 }
        var limit = capacity(76 - prefix.utf8.count - 1)
        var chunks: [String] = []
        var current: [UInt8] = []
        func flush() {
            chunks.append("=?utf-8?B?" + base64(current) + "?=")
            current = []
            limit = capacity(75)
        }
        for character in clean {
            let bytes = Array(String(character).utf8)
            if !current.isEmpty && current.count + bytes.count > limit { flush() }
            // A grapheme longer than a word holds is split between scalars.
            if bytes.count > limit {
                for scalar in character.unicodeScalars {
                    let sb = Array(String(scalar).utf8)
                    if !current.isEmpty && current.count + sb.count > limit { flush() }
                    current += sb
                }
            } else {
                current += bytes
            }
        }
        if !current.isEmpty { flush() }
        return chunks
    }

    /// Folds words onto lines of at most 78 octets.
    private static func fold(prefix: String, words: [String]) -> String {
        var lines: [String] = []
        var line = prefix
        for word in words {
            if line.utf8.count + 1 + word.utf8.count > 78 && line != prefix {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(n & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Quoted-printable (RFC 2045 §6.7)

    /// Encodes text line by line ("\n" separates lines; a CR is encoded as =0D,
    /// so decoding gives back exactly the input). Output lines are at most 76
    /// octets, joined by CRLF; no final CRLF.
    public static func quotedPrintable(_ text: String) -> String {
        var outLines: [String] = []
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let bytes = Array(line)
            var tokens: [[UInt8]] = []
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal: Bool
                switch byte {
                case UInt8(ascii: "="): literal = false
                case UInt8(ascii: " "), UInt8(ascii: "\t"): literal = !isLast
                // "From " at a line start is mangled by some mbox writers.
                case UInt8(ascii: "F") where index == 0 && bytes.starts(with: Array("From ".utf8)): literal = false
                case 33...126: literal = true
                default: literal = false
                }
                if literal {
                    tokens.append([byte])
                } else {
                    var escape: [UInt8] = [UInt8(ascii: "=")]
                    Hex.append(byte, to: &escape, uppercase: true)
                    tokens.append(escape)
                }
            }
            var out: [UInt8] = []
            var width = 0
            for (index, token) in tokens.enumerated() {
                let isLast = index == tokens.count - 1
                // Room for a soft break "=" unless this is the last token.
                let limit = isLast ? 76 : 75
                if width + token.count > limit {
                    out += Array("=\r\n".utf8)
                    width = 0
                }
                // A space or tab left at the end of a soft-broken line is fine:
                // the "=" follows it.
                out += token
                width += token.count
            }
            outLines.append(String(decoding: out, as: UTF8.self))
        }
        return outLines.joined(separator: "\r\n")
    }
}
