import PropertyBased
import Testing
@testable import VertrouwdCore

/// The JSON and HTML escapers work on UTF-8 bytes (a string without
/// anything to escape is copied whole). They must give what an escape per
/// Unicode scalar gives, for any text: controls, the five HTML specials,
/// U+2028/2029 and their neighbours that share the lead byte E2 (–, …, →),
/// combining marks after "&", emoji.
@Suite("Escape properties")
struct EscapePropertyTests {
    static let pieces: [String] = [
        "a", "Z", "0", " ", "é", "ë", "\u{301}", "&", "<", ">", "\"", "'", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}",
        "\u{1F}", "\u{7F}", "\u{80}", "\u{2028}", "\u{2029}", "\u{2027}", "\u{202A}", "\u{2013}", "\u{2026}", "\u{2192}",
        "\u{E000}", "😀", "👩‍👩‍👧", "klas-4", "ten minste 5 leerlingen",
    ]

    static let text = Generator<String, Shrink.None<String>>(run: { rng in
        (0..<Int.random(in: 0...24, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    })

    /// `s` escaped one Unicode scalar at a time: `escape` gives a
    /// scalar's replacement, nil to keep it (the escapers before they went
    /// by bytes).
    static func perScalar(_ s: String, _ escape: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if let replacement = escape(scalar) { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// RFC 8259 escaping, with U+2028/2029 and DEL as \u escapes.
    static func referenceJSON(_ s: String) -> String {
        let named: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"]
        return "\"" + perScalar(s) { scalar in
            if let name = named[scalar] { return name }
            let v = scalar.value
            return v < 0x20 || v == 0x2028 || v == 0x2029 || v == 0x7F ? "\\u" + Hex.padded(v, width: 4) : nil
        } + "\""
    }

    static func referenceHTML(_ s: String) -> String {
        let named: [Unicode.Scalar: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]
        return perScalar(s) { named[$0] }
    }

    @Test func jsonEscapingMatchesAnEscapePerScalar() async {
        await propertyCheck(count: 2_000, input: Self.text) { s in
            #expect(JSONWriter.render(.string(s)) == Self.referenceJSON(s))
        }
    }

    @Test func htmlEscapingMatchesAnEscapePerScalar() async {
        await propertyCheck(count: 2_000, input: Self.text) { s in
            #expect(HTMLEscape.text(s) == Self.referenceHTML(s))
        }
    }

    @Test func anAmpersandBeforeACombiningMarkIsEscaped() {
        #expect(HTMLEscape.text("&\u{301}") == "&amp;\u{301}")
        #expect(JSONWriter.render(.string("\u{2013}\u{2028}\u{2026}")) == "\"\u{2013}\\u2028\u{2026}\"")
    }
}
