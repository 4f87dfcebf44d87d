import Testing
import VertrouwdCore

/// Issue 13, finding 12: text interleaved with NULs — raw, or escaped as
/// `\u0000` — is refused as `nul_byte` before any field is used, and the
/// padding hides nothing from the PII gate.
@Suite struct NULInterleavingTests {
    @Test func anEscapedNULIsRefusedBeforeTheValueIsUsed() {
        // Without the NULs this is a site value outside the vocabulary; the
        // reason must say what the line is, not what its value missed.
        let line = Fixture.line(extra: [#""site":"j\u0000a\u0000n\u0000-\u00004\u0000b""#])
        #expect(Fixture.rejection(line) == SignalRejection(.nulByte, field: "site"))
    }

    @Test func nulPaddingCannotHideAPhoneNumber() {
        let padded = "0612345678".map { "\($0)\\u0000" }.joined()
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"\#(padded)""#])) == SignalRejection(.piiPhone))
        let raw = "0612345678".map { "\($0)\u{0}" }.joined()
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"\#(raw)""#])) == SignalRejection(.piiPhone))
    }

    @Test func utf16LinesAreRefusedAsNULBytes() {
        // ASCII in UTF-16LE is valid UTF-8 with a NUL after every character.
        let line = Fixture.example.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(Fixture.validator.validate(line: line, now: Fixture.now) == .failure(SignalRejection(.nulByte)))
    }

    @Test func otherEscapesStillDecode() {
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"hoofdgebouw\u0041""#])) == SignalRejection(.unknownSite, field: "site"))
    }
}
