import Testing
import VertrouwdCore

@Suite("Hex digits")
struct HexTests {
    @Test func bytesAreTwoDigitsEach() {
        #expect(Hex.digits([0x00, 0x0a, 0xff]) == "000aff")
        #expect(Hex.digits([0xAB, 0x01], uppercase: true) == "AB01")
        #expect(Hex.digits([UInt8]()) == "")
    }

    @Test func valuesArePaddedToTheWidth() {
        #expect(Hex.padded(0, width: 4) == "0000")
        #expect(Hex.padded(0x1f, width: 4) == "001f")
        #expect(Hex.padded(0xFEFF, width: 4, uppercase: true) == "FEFF")
        #expect(Hex.padded(0x10FFFF, width: 4, uppercase: true) == "10FFFF")
        #expect(Hex.padded(0xFFFF_FFFF, width: 2) == "ffffffff")
    }

    @Test func everyValueMatchesTheStandardLibrary() {
        for value in [UInt32(0), 1, 9, 10, 15, 16, 255, 256, 0x7F, 0x2028, 0xD7FF, 0x1F600, 0x10FFFF, .max] {
            let expected = String(value, radix: 16)
            #expect(Hex.padded(value, width: 4) == String(repeating: "0", count: max(0, 4 - expected.count)) + expected)
        }
        for byte in UInt8.min...UInt8.max {
            let expected = String(byte, radix: 16, uppercase: true)
            #expect(Hex.digits([byte], uppercase: true) == (expected.count == 1 ? "0" : "") + expected)
        }
    }
}
