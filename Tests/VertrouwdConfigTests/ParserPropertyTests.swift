import PropertyBased
import Testing
@testable import VertrouwdConfig

/// Random documents in the shape the parser produces, built from one
/// generator so that tables can nest.
private enum RandomDocument {
    static let origin = SourcePosition(line: 1, column: 1)

    static func document<R: RandomNumberGenerator>(_ rng: inout R) -> ConfigDocument {
        ConfigDocument(root: table(&rng, depth: 0, origin: .root))
    }

    static func table<R: RandomNumberGenerator>(_ rng: inout R, depth: Int, origin: ConfigTable.Origin) -> ConfigTable {
        var entries: [ConfigTable.Entry] = []
        var seen: Set<String> = []
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let k = key(&rng)
            guard seen.insert(k).inserted else { continue }
            let v: ConfigValue.Kind
            switch Int.random(in: 0..<10, using: &rng) {
            case 0 where depth < 3:
                v = .table(table(&rng, depth: depth + 1, origin: .header))
            case 1 where depth < 3:
                v = .tableArray((0..<Int.random(in: 1...3, using: &rng)).map { _ in
                    table(&rng, depth: depth + 1, origin: .header)
                })
            default:
                v = value(&rng, depth: depth)
            }
            entries.append(.init(key: k, keyPosition: Self.origin, value: ConfigValue(v, at: Self.origin)))
        }
        return ConfigTable(entries: entries, origin: origin, position: Self.origin)
    }

    /// A value that may stand after `=`: scalars, arrays, inline tables.
    static func value<R: RandomNumberGenerator>(_ rng: inout R, depth: Int) -> ConfigValue.Kind {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0, 1: .string(string(&rng))
        case 2, 3: .integer(integer(&rng))
        case 4, 5: .float(float(&rng))
        case 6: .bool(Bool.random(using: &rng))
        case 7, 8 where depth < 4:
            .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in
                ConfigValue(value(&rng, depth: depth + 1), at: origin)
            })
        case 9 where depth < 4:
            .table(inlineTable(&rng, depth: depth + 1))
        default: .string(string(&rng))
        }
    }

    static func inlineTable<R: RandomNumberGenerator>(_ rng: inout R, depth: Int) -> ConfigTable {
        var entries: [ConfigTable.Entry] = []
        var seen: Set<String> = []
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            let k = key(&rng)
            guard seen.insert(k).inserted else { continue }
            entries.append(.init(key: k, keyPosition: origin, value: ConfigValue(value(&rng, depth: depth), at: origin)))
        }
        return ConfigTable(entries: entries, origin: .inline, position: origin)
    }

    /// Bare keys mostly; sometimes one that must be quoted.
    static func key<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        if Int.random(in: 0..<4, using: &rng) == 0 { return string(&rng) }
        let alphabet = Array("abcxyzABC019_-".unicodeScalars)
        return String(String.UnicodeScalarView((0..<Int.random(in: 1...6, using: &rng)).map { _ in
            alphabet.randomElement(using: &rng)!
        }))
    }

    /// Strings with escapes, quotes, control characters and non-ASCII.
    static func string<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        let specials: [Unicode.Scalar] = ["\"", "\\", "'", "\n", "\t", "\r", "\u{0}", "\u{1F}", "\u{7F}", "\u{08}",
                                          "\u{0C}", "é", "😀", "\u{FEFF}", "\u{2028}", "#", "=", "[", " ", "."]
        var out = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: out.append(specials.randomElement(using: &rng)!)
            case 1:
                let v = UInt32.random(in: 0x80...0x10FFFF, using: &rng)
                out.append(Unicode.Scalar(v) ?? "x")
            default: out.append(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng)))
            }
        }
        return String(out)
    }

    static func integer<R: RandomNumberGenerator>(_ rng: inout R) -> Int64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: [Int64.min, .max, 0, -1, 1].randomElement(using: &rng)!
        case 1: Int64.random(in: -1000...1000, using: &rng)
        default: Int64.random(in: .min ... .max, using: &rng)
        }
    }

    /// Any finite double: random bit patterns cover subnormals, huge and
    /// tiny exponents and both zeros.
    static func float<R: RandomNumberGenerator>(_ rng: inout R) -> Double {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            return [0.0, -0.0, 0.1, -2.5, 1e20, 1e16, 1e-7, 5e-324, .greatestFiniteMagnitude, -.leastNormalMagnitude]
                .randomElement(using: &rng)!
        case 1:
            return Double(Int.random(in: -100_000...100_000, using: &rng)) / 8
        default:
            while true {
                let d = Double(bitPattern: rng.next())
                if d.isFinite { return d }
            }
        }
    }
}

private let documents = Generator(run: { rng in RandomDocument.document(&rng) })

/// Parses and checks the result is sane: every diagnostic points inside the text.
private func parseAndCheck(_ text: String) {
    let (_, diags) = ConfigParser.parse(text)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    for d in diags {
        #expect(d.position.map { $0.line >= 1 && $0.line <= lines + 1 && $0.column >= 1 } ?? true)
    }
}

@Suite struct ParserProperties {
    @Test func printedDocumentsParseBackEqual() async {
        await propertyCheck(count: 300, input: documents) { doc in
            let text = DocumentPrinter.print(doc)
            let (parsed, diags) = ConfigParser.parse(text)
            #expect(diags.isEmpty, "\(diags) in:\n\(text)")
            #expect(parsed.structurallyEquals(doc), "round trip changed:\n\(text)")
            // Printing is canonical: printing again gives the same text.
            #expect(DocumentPrinter.print(parsed) == text)
        }
    }

    @Test func integersAcrossTheFullRangeRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int64()) { n in
            let (doc, diags) = ConfigParser.parse("n = \(n)")
            #expect(diags.isEmpty)
            #expect(doc.root["n"]?.value.kind == .integer(n))
        }
    }

    @Test func floatsRoundTripExactly() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { bits in
            let d = Double(bitPattern: bits)
            guard d.isFinite else { return }
            let (doc, diags) = ConfigParser.parse("f = \(DocumentPrinter.float(d))")
            #expect(diags.isEmpty, "\(DocumentPrinter.float(d))")
            guard case .float(let back)? = doc.root["f"]?.value.kind else {
                Issue.record("not a float: \(DocumentPrinter.float(d))")
                return
            }
            #expect(back.bitPattern == d.bitPattern)
        }
    }

    @Test func randomBytesNeverCrash() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...200)) { bytes in
            let (_, diags) = ConfigParser.parse(bytes: bytes)
            #expect(diags.allSatisfy { $0.length >= 1 })
        }
    }

    @Test func mutatedDocumentsNeverCrash() async {
        let mutations = zip(documents, Gen.int(in: 0...Int.max).array(of: 1...8))
        await propertyCheck(count: 300, input: mutations) { doc, edits in
            var scalars = Array(DocumentPrinter.print(doc).unicodeScalars)
            let inserts: [Unicode.Scalar] = ["[", "]", "\"", "'", "=", "\n", "{", "}", ",", "#", "\r", "\u{0}", "\\", "."]
            for edit in edits where !scalars.isEmpty {
                let at = edit % scalars.count
                switch edit % 3 {
                case 0: scalars.remove(at: at)
                case 1: scalars.insert(inserts[(edit / 3) % inserts.count], at: at)
                default: scalars.insert(contentsOf: scalars[at...].prefix(5), at: (edit / 7) % scalars.count)
                }
            }
            parseAndCheck(String(String.UnicodeScalarView(scalars)))
        }
    }

    @Test func tokenSoupNeverCrashes() async {
        let alphabet: [Character] = ["[", "]", "=", "\"", "'", ".", ",", "{", "}", "#", "\n", "a", "b", "k", "1", "0", " ", "-", "_", "e"]
        let soup = Gen<Character?>.element(of: alphabet).array(of: 0...120).map { String($0.compactMap { $0 }) }
        await propertyCheck(count: 500, input: soup) { text in
            parseAndCheck(text)
        }
    }
}
