import Foundation
import Testing
@testable import VertrouwdDelivery

@Suite("MIME rendering")
struct MIMEMessageTests {
    let message = sampleMessage()

    func rendered(_ m: OutgoingMessage? = nil) -> [UInt8] {
        MIMEMessage.render(m ?? message, from: "vertrouwd@school.example", to: "vp@school.example",
                           messageIDDomain: "school.example")
    }

    func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test("every line ends in CRLF; no bare LF or CR")
    func crlfOnly() {
        let bytes = rendered()
        for (i, b) in bytes.enumerated() where b == 10 {
            #expect(i > 0 && bytes[i - 1] == 13)
        }
        for (i, b) in bytes.enumerated() where b == 13 {
            #expect(i + 1 < bytes.count && bytes[i + 1] == 10)
        }
    }

    @Test("headers: Date, From, To, Message-ID, MIME-Version, Content-Type, Auto-Submitted")
    func headers() {
        let text = String(decoding: rendered(), as: UTF8.self)
        let header = text.components(separatedBy: "\r\n\r\n")[0]
        #expect(header.contains("\r\nFrom: vertrouwd@school.example\r\n"))
        #expect(header.contains("\r\nTo: vp@school.example\r\n"))
        #expect(header.contains("\r\nMessage-ID: <0123456789abcdef0123456789abcdef@school.example>\r\n"))
        #expect(header.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(header.contains("\r\nContent-Type: multipart/alternative;\r\n boundary=\"=_vertrouwd_0123456789abcdef0123456789abcdef\"\r\n"))
        #expect(header.contains("\r\nAuto-Submitted: auto-generated"))
        #expect(!header.contains("é"))
    }

    @Test("RFC 5322 dates in UTC", arguments: [
        (Int64(0), "Thu, 1 Jan 1970 00:00:00 +0000"),
        (Int64(1_796_000_000), "Mon, 30 Nov 2026 00:53:20 +0000"),
        (Int64(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000"),
        (Int64(-1), "Wed, 31 Dec 1969 23:59:59 +0000"),
    ])
    func date(epoch: Int64, expected: String) {
        #expect(MIMEMessage.rfc5322Date(epoch) == expected)
    }

    @Test("quoted-printable: lines ≤ 76, '=' and trailing spaces encoded, soft breaks")
    func quotedPrintable() {
        let long = String(repeating: "é", count: 100) + String(repeating: "x", count: 200) + " "
        let encoded = MIMEMessage.quotedPrintable("a=b  \n\(long)\n.")
        let out = encoded.components(separatedBy: "\r\n")
        #expect(out[0] == "a=3Db =20")
        #expect(out.allSatisfy { $0.utf8.count <= 76 })
        #expect(out.dropLast(2).dropFirst().allSatisfy { $0.hasSuffix("=") })
        #expect(out[out.count - 2].hasSuffix("=20"))
        #expect(out.last == ".")
        #expect(out.allSatisfy { !$0.hasSuffix(" ") && !$0.hasSuffix("\t") })
        #expect(out.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII } })
    }

    @Test("no line over 998 octets; body lines ≤ 76; boundary absent from the parts")
    func lineLengths() {
        var m = message
        m.subject = String(repeating: "Lange onderwerpregel één ", count: 40)
        m.text = String(repeating: "x", count: 5000)
        let all = lines(rendered(m))
        #expect(all.allSatisfy { $0.utf8.count <= 998 })
        let body = all.drop(while: { !$0.isEmpty })
        #expect(body.allSatisfy { $0.utf8.count <= 76 })
        let boundary = "=_vertrouwd_" + m.id
        #expect(body.filter { $0.contains(boundary) }.count == 3)
    }

    @Test("a non-ASCII subject becomes folded UTF-8 encoded-words of ≤ 75 octets")
    func subjectEncoding() {
        let header = MIMEMessage.encodeSubject(String(repeating: "één leerling — ", count: 10))
        let parts = header.components(separatedBy: "\r\n ")
        #expect(parts.count > 1)
        #expect(parts[0].hasPrefix("Subject: =?utf-8?B?"))
        for word in parts.map({ $0.replacingOccurrences(of: "Subject: ", with: "") }) {
            #expect(word.utf8.count <= 75)
            #expect(word.hasPrefix("=?utf-8?B?") && word.hasSuffix("?="))
        }
    }

    @Test("an ASCII subject stays readable; CR/LF cannot add headers")
    func subjectInjection() {
        #expect(MIMEMessage.encodeSubject("Weekoverzicht") == "Subject: Weekoverzicht")
        let header = MIMEMessage.encodeSubject("Hallo\r\nBcc: x@evil.example")
        #expect(!header.contains("\r\nBcc"))
        #expect(MIMEMessage.address("a@b.example\r\nBcc: c@d") == "a@b.exampleBcc:c@d")
    }

    @Test("base64 matches Foundation", arguments: ["", "a", "ab", "abc", "één — leerling?"])
    func base64(text: String) {
        #expect(MIMEMessage.base64(Array(text.utf8)) == Data(text.utf8).base64EncodedString())
    }

    @Test("Python's email module reads back subject, text, HTML and Message-ID exactly")
    func pythonRoundTrip() throws {
        guard which("python3") != nil else { return }
        let parsed = try parseWithPython(rendered())
        #expect(parsed.subject == message.subject)
        #expect(parsed.text == message.text)
        #expect(parsed.html == message.html)
        #expect(parsed.messageID == "<\(message.id)@school.example>")
        #expect(parsed.date == "Mon, 30 Nov 2026 00:53:20 +0000")
        #expect(parsed.autoSubmitted == "auto-generated")
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.maxLine <= 998)
        #expect(parsed.defects == 0)
    }

    @Test("long subjects and texts survive the round trip", arguments: [
        String(repeating: "Weekoverzicht ", count: 20),
        String(repeating: "één", count: 60),
        "x" + String(repeating: "y", count: 120),
    ])
    func pythonRoundTripLong(subject: String) throws {
        guard which("python3") != nil else { return }
        var m = message
        m.subject = subject
        m.text = String(repeating: "ë=. \t", count: 400) + "\n\n" + String(repeating: "a", count: 1200) + "\n"
        let parsed = try parseWithPython(rendered(m))
        #expect(parsed.subject == subject)
        #expect(parsed.text == m.text)
        #expect(parsed.maxLine <= 998)
    }
}
