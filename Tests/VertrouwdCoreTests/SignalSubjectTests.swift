import Foundation
import PropertyBased
import Testing
import VertrouwdCore

/// The optional `subject` field (DESIGN §2, §6 P10) and the NUL-byte rule
/// (issue #13, finding 12).
@Suite("Signal subject and NUL bytes")
struct SignalSubjectTests {
    static let subject = "k3Jx9_QpLm2-Vb7Nc4Rt8Yw1"

    @Test func aWellFormedSubjectIsKept() throws {
        let signal = try #require(Fixture.signal(Fixture.line(extra: [#""subject":"\#(Self.subject)""#])))
        #expect(signal.subject == Self.subject)
        #expect(Fixture.signal(Fixture.line())?.subject == nil)
    }

    @Test func lengthsAtTheEdges() {
        let ok16 = String(repeating: "a", count: 16), ok64 = String(repeating: "B", count: 64)
        #expect(Fixture.signal(Fixture.line(extra: [#""subject":"\#(ok16)""#]))?.subject == ok16)
        #expect(Fixture.signal(Fixture.line(extra: [#""subject":"\#(ok64)""#]))?.subject == ok64)
        for bad in [String(repeating: "a", count: 15), String(repeating: "a", count: 65)] {
            #expect(Fixture.rejection(Fixture.line(extra: [#""subject":"\#(bad)""#])) == SignalRejection(.badSubject, field: "subject"))
        }
    }

    @Test(arguments: ["abcdefghijklmnop.q", "abcdefghijklmnop:q", "abcdefghijklmnop q", "abcdéfghijklmnopq"])
    func charactersOutsideTheAlphabetAreRejected(_ bad: String) {
        #expect(Fixture.rejection(Fixture.line(extra: [#""subject":"\#(bad)""#]))?.reason == .badSubject)
    }

    @Test func wrongTypeAndDuplicates() {
        #expect(Fixture.rejection(Fixture.line(extra: [#""subject":12345678901234567"#])) == SignalRejection(.wrongType, field: "subject"))
        #expect(Fixture.rejection(Fixture.line(extra: [#""subject":"\#(Self.subject)""#, #""subject":"\#(Self.subject)""#]))
            == SignalRejection(.duplicateField, field: "subject"))
    }

    /// The PII gate treats `subject` like `id`: a long hex or decimal
    /// digest is not "8+ digits", but an e-mail address is still an e-mail.
    @Test func thePIIGateTreatsSubjectLikeID() {
        let hex = "0123456789abcdef0123456789abcdef"
        #expect(Fixture.signal(Fixture.line(extra: [#""subject":"\#(hex)""#]))?.subject == hex)
        #expect(Fixture.rejection(Fixture.line(extra: [#""subject":"jan@example.nl-abcdefgh""#]))?.isPII == true)
        #expect(Fixture.rejection(Fixture.line(extra: [#""subject":"NL91ABNA0417164300""#]))?.reason == .piiIBAN)
    }

    @Test func aSourceThatRequiresSubjectsRejectsALineWithout() {
        let validator = SignalValidator(taxonomy: Fixture.taxonomy, sources: Fixture.sources, ingest: IngestSettings(),
                                        subjectRequired: ["chatguard"])
        let without = validator.validate(line: Fixture.line(), now: Fixture.now)
        #expect(without == .failure(SignalRejection(.missingSubject, field: "subject")))
        let with = validator.validate(line: Fixture.line(extra: [#""subject":"\#(Self.subject)""#]), now: Fixture.now)
        #expect((try? with.get())?.subject == Self.subject)
        // Another source is not affected…
        #expect((try? validator.validate(line: Fixture.line(source: #""webfilter""#), now: Fixture.now).get()) != nil)
        // …and a field error still comes first.
        #expect(validator.validate(line: Fixture.line(category: #""nope""#), now: Fixture.now)
            == .failure(SignalRejection(.unknownCategory, field: "category")))
    }

    @Test func theConfigurationSaysWhichSourcesRequireSubjects() {
        var c = Configuration(school: SchoolSettings(name: "x", timeZone: .gmt), taxonomy: Fixture.taxonomy,
                              sources: ["webfilter", "chatguard"], rules: [], recipients: [])
        c.sourceSettings["chatguard"] = SourceSettings(subjects: .required)
        #expect(c.sourcesRequiringSubject == ["chatguard"])
        let validator = SignalValidator(configuration: c)
        #expect(validator.validate(line: Fixture.line(), now: Fixture.now) == .failure(SignalRejection(.missingSubject, field: "subject")))
    }

    // MARK: NUL bytes

    /// UTF-16 text: every ASCII character followed by a NUL byte.
    static func utf16(_ text: String) -> [UInt8] {
        Array(text.data(using: .utf16LittleEndian)!)
    }

    @Test func aUTF16LineIsRejectedAsNulByte() {
        let line = Self.utf16(Fixture.line())
        #expect(Fixture.validator.validate(line: line, now: Fixture.now) == .failure(SignalRejection(.nulByte)))
    }

    /// Padding with NULs must not hide personal data from the gate: the
    /// line is scanned without them first.
    @Test func nulPaddingCannotHidePII() {
        let phone = Self.utf16(Fixture.line(extra: [#""note":"bel 06-12345678""#]))
        #expect(Fixture.validator.validate(line: phone, now: Fixture.now).failureReason == .piiPhone)
        let mail = Self.utf16(#"{"v":1,"mail":"jan.de.vries@example.nl"}"#)
        #expect(Fixture.validator.validate(line: mail, now: Fixture.now).failureReason == .piiEmail)
        var sprinkled = Array(Fixture.line(extra: [#""site":"hoofdgebouw""#]).utf8)
        sprinkled.insert(0, at: 10)
        #expect(Fixture.validator.validate(line: sprinkled, now: Fixture.now).failureReason == .nulByte)
    }

    /// An escaped NUL inside a JSON string is text interleaved with NULs
    /// all the same: refused as `nul_byte`, naming the field, before the
    /// value is compared with any vocabulary (issue 13, finding 12).
    @Test func anEscapedNulIsANulByteOfItsField() {
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"hoofd\u0000gebouw""#])) == SignalRejection(.nulByte, field: "site"))
    }
}

extension Result where Failure == SignalRejection {
    var failureReason: RejectReason? {
        if case .failure(let r) = self { return r.reason }
        return nil
    }
}

/// Subjects made the way docs/producers.md says (HMAC-SHA-256 as 64 hex
/// characters, or 43 of base64url) never trip the PII gate: a producer
/// following the guide loses no signal.
@Suite("Signal subject property")
struct SignalSubjectPropertyTests {
    @Test func digestShapedSubjectsAreAlwaysAccepted() async {
        let base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        let subject = Generator<String, Shrink.None<String>>(run: { rng in
            rng.chance(0.5) ? rng.string(from: SignalGen.hex, count: 64) : rng.string(from: base64url, count: 43)
        })
        await propertyCheck(count: 5_000, input: subject) { subject in
            let line = Fixture.line(extra: [#""subject":"\#(subject)""#])
            #expect(Fixture.signal(line)?.subject == subject, "rejected: \(String(describing: Fixture.rejection(line)))")
        }
    }
}
