import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdDelivery

/// The headers a trust contact's mail client shows: a subject per alert
/// (what, where, when; RFC 2047 for the dash and accents), a From with a
/// display name, and a Reply-To that reaches IT. Golden files hold the
/// header block of a rendered alert, read line by line when they change.
@Suite("MIME headers")
struct MIMEHeaderTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" }

    /// A day alert about sextortion on Instagram in the main building.
    static let alert: AlertMessage = {
        var taxonomy = Taxonomy(
            categories: Vocabulary(["grooming", "sextortion.threat", "sextortion.payment"]),
            sites: Vocabulary(["hoofdgebouw"]),
            cohorts: Vocabulary(grouped: [("klas-4", "bovenbouw")]),
            channels: Vocabulary(grouped: [("instagram", "social")]))
        taxonomy.labels[.nl] = ["sextortion.threat": "Afpersing: dreiging", "sextortion.payment": "Afpersing: betaalverzoek",
                                "hoofdgebouw": "Hoofdgebouw", "instagram": "Instagram", "klas-4": "leerjaar 4"]
        let day = DateText.Day(year: 2026, month: 11, day: 29, weekday: 7)
        let content = AlertContent(
            id: "3f0c1a9e5b7d4c2e8f6a0b1c2d3e4f50",
            rule: Rule(name: "sextortion-acuut", kind: .threshold(window: .day), match: [CategoryPattern("sextortion.*")],
                       minCount: 5, groupBy: [.site, .cohort], severity: .high),
            period: .init(kind: .day, first: day, last: day),
            group: [(.site, "hoofdgebouw"), (.cohort, "klas-4")], atLeast: 5, escalation: false)
        return AlertMessage(content, taxonomy: taxonomy, schoolName: "Voorbeeldcollege", language: .nl, k: 5)
    }()

    static let message = OutgoingMessage(id: alert.content.id, kind: .alert, subject: alert.subject, text: alert.text,
                                         html: alert.html, json: alert.json, created: 1_796_000_000)

    /// (golden file, display name, Reply-To)
    static let cases: [(file: String, name: String?, replyTo: String?)] = [
        ("alert-headers.eml", "vertrouwd", "ict@voorbeeldcollege.nl"),
        ("alert-headers-nonascii-name.eml", "Vertrouwenspunt Sint-Jozef – één", nil),
        ("alert-headers-quoted-name.eml", "ICT, \"De School\"", "ict@voorbeeldcollege.nl"),
    ]

    static func render(name: String?, replyTo: String?) -> [UInt8] {
        MIMEMessage.render(message, from: "vertrouwd@voorbeeldcollege.nl", fromName: name, replyTo: replyTo,
                           to: "vertrouwenspersoon@voorbeeldcollege.nl", messageIDDomain: "voorbeeldcollege.nl")
    }

    /// The header block, CRLF shown as LF.
    static func headers(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n", with: "\n") + "\n"
    }

    @Test(arguments: cases.map(\.file))
    func headersMatchTheirGoldenFile(file: String) throws {
        let c = Self.cases.first { $0.file == file }!
        let actual = Self.headers(Self.render(name: c.name, replyTo: c.replyTo))
        let url = Self.golden.appendingPathComponent(file)
        if Self.updating { try actual.write(to: url, atomically: true, encoding: .utf8) }
        #expect(actual == (try String(contentsOf: url, encoding: .utf8)), "\(file) differs; run with VERTROUWD_UPDATE_GOLDEN=1 and read the diff")
    }

    @Test func everyHeaderLineIsASCIIAndAtMost78Octets() {
        for c in Self.cases {
            for line in Self.headers(Self.render(name: c.name, replyTo: c.replyTo)).split(separator: "\n") {
                #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)")
                #expect(line.utf8.count <= 78, "\(line)")
            }
        }
    }

    @Test func theSubjectNamesWhatWhereAndWhen() {
        #expect(Self.message.subject == "vertrouwd: Afpersing: dreiging, Afpersing: betaalverzoek – Hoofdgebouw, leerjaar 4 – 29 november 2026")
    }

    @Test func noDisplayNameGivesTheBareAddressAndNoReplyToGivesNone() {
        let header = Self.headers(Self.render(name: nil, replyTo: nil))
        #expect(header.contains("\nFrom: vertrouwd@voorbeeldcollege.nl\n"))
        #expect(!header.contains("Reply-To"))
        #expect(MIMEMessage.fromHeader(name: "  \r\n ", address: "a@b.nl") == "From: a@b.nl")
    }

    @Test func aDisplayNameCannotAddHeaders() {
        let header = MIMEMessage.fromHeader(name: "x\r\nBcc: evil@example.org", address: "a@b.nl")
        #expect(!header.contains("\r") && !header.contains("\n"))
        #expect(header == "From: \"x Bcc: evil@example.org\" <a@b.nl>")
        let reply = Self.headers(Self.render(name: nil, replyTo: "ict@b.nl\r\nBcc: evil@example.org"))
        #expect(!reply.contains("\nBcc"))
    }

    /// Python's email module (policy=default) decodes the encoded words
    /// back to the very same text.
    @Test(arguments: cases.map(\.file))
    func pythonReadsBackSubjectFromAndReplyTo(file: String) throws {
        guard which("python3") != nil else { return }
        let c = Self.cases.first { $0.file == file }!
        let parsed = try parseWithPython(Self.render(name: c.name, replyTo: c.replyTo))
        #expect(parsed.defects == 0)
        #expect(parsed.subject == Self.message.subject)
        #expect(parsed.fromName == c.name)
        #expect(parsed.from.hasSuffix("<vertrouwd@voorbeeldcollege.nl>"))
        #expect(parsed.replyTo == (c.replyTo ?? ""))
    }
}
