import PropertyBased
import Testing
import VertrouwdCore

@Suite struct UTF8ValidationTests {
    @Test func validUTF8AtTheEdgesIsAccepted() {
        #expect(UTF8Validation.isValid(Array("é€𝄞\u{10FFFF}\u{D7FF}\u{E000}".utf8)))
        #expect(UTF8Validation.isValid([0xF4, 0x8F, 0xBF, 0xBF]))
        #expect(UTF8Validation.isValid([0xEF, 0xBF, 0xBF]))
        #expect(UTF8Validation.isValid([]))
    }

    @Test(arguments: [
        ([0xC3, 0x28], 0), ([0x41, 0xFF], 1), ([0xC0, 0xAF], 0), ([0xE0, 0x80, 0xAF], 0),
        ([0xED, 0xA0, 0x80], 0), ([0xF4, 0x90, 0x80, 0x80], 0), (Array("abcdefghij".utf8) + [0xE2, 0x82], 10),
    ] as [([UInt8], Int)])
    func invalidSequencesAreFoundWhereTheyStart(bytes: [UInt8], offset: Int) {
        #expect(bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == offset)
        #expect(!UTF8Validation.isValid(bytes))
    }

    @Test func agreesWithTheStandardLibraryOnRandomBytes() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...255).array(of: 0...24)) { ints in
            let bytes = ints.map { UInt8($0) }
            let stdlib = String(validating: bytes, as: UTF8.self) != nil
            #expect(UTF8Validation.isValid(bytes) == stdlib)
        }
    }
}
