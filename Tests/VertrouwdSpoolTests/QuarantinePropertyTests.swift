import Foundation
import PropertyBased
import Testing
import VertrouwdCore
@testable import VertrouwdSpool

/// Issue 13, finding 12: the quarantine keeps reason codes, line numbers
/// and keyed hashes — never a rejected line, never a refused file's bytes.
/// Files are made of random valid and rejected lines (an extra field, a
/// value outside a vocabulary, malformed JSON, NUL padding, a PII value),
/// go through `SignalFile` as the daemon reads them, and are recorded as the
/// daemon records them: per line, and whole (as if refused unread).
@Suite("Quarantine properties")
struct QuarantinePropertyTests {
    static let taxonomy = Taxonomy(
        categories: Vocabulary(["grooming", "sextortion.payment"]), sites: Vocabulary(["hoofdgebouw"]),
        cohorts: Vocabulary(grouped: [("klas-4", "bovenbouw")]), channels: Vocabulary(grouped: [("instagram", "social")]))
    static let validator = SignalValidator(taxonomy: taxonomy, sources: ["webfilter"], ingest: IngestSettings())
    static let now: Int64 = 1_795_944_000 // 2026-11-29T09:20:00Z

    /// A file's lines and the values each rejected line carries.
    struct GeneratedFile: Sendable, CustomStringConvertible {
        var lines: [String]
        var values: [String]
        var description: String { lines.joined(separator: "\n") }
    }

    /// Values a person could have written: names, handles, free text.
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-_.")
    static let names = ["jan-de-vries-4b", "fatima.el-amrani", "pieter_jansen", "lisa-3c-klas", "mohammed1999", "noor-van-dijk"]

    static let file = Generator<GeneratedFile, Shrink.None<GeneratedFile>>(run: { rng in
        var lines: [String] = []
        var values: [String] = []
        for n in 0..<Int.random(in: 1...10, using: &rng) {
            let id = "sig-\(n)-" + String((0..<10).map { _ in "abcdefghjk".randomElement(using: &rng)! })
            let base = #""v":1,"id":"\#(id)","ts":"2026-11-29T10:15:00+01:00","source":"webfilter","category":"grooming""#
            if Bool.random(using: &rng) {
                lines.append("{" + base + "}")
                continue
            }
            let value = Bool.random(using: &rng) ? names.randomElement(using: &rng)!
                : String((0..<Int.random(in: 4...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let line: String
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: line = "{" + base + #","note":"\#(value)"}"#                 // unknown_field
            case 1: line = "{" + base + #","site":"\#(value)"}"#                 // unknown_site
            case 2: line = "{" + base + #","cohort":"\#(value)"}"#               // unknown_cohort
            case 3: line = "{" + base + #",""# + value + #"":1}"#                 // an unknown key
            case 4: line = "{" + base + #","channel":"\#(value)""#               // malformed_json
            case 5: line = "{" + base + #","site":""# + value.map { "\($0)\u{0}" }.joined() + #""}"#  // nul_byte
            case 6: line = "{" + base + #","site":""# + value.map { "\($0)\\u0000" }.joined() + #""}"# // nul_byte, escaped
            default: line = "{" + base + #","note":"\#(value) 06-12345678"}"#   // pii_phone
            }
            lines.append(line)
            values += [value, id, "webfilter", "grooming", "2026-11-29T10:15:00+01:00"]
        }
        return GeneratedFile(lines: lines, values: values)
    })

    /// Text the record format itself is made of: a 4-gram of a value that
    /// is also a 4-gram of this could be there without coming from the value.
    static let formatText = (RejectReason.allCases.map(\.rawValue) + FileRejectReason.allCases.map(\.rawValue)
        + ["v", "id", "ts", "source", "category", "site", "cohort", "channel", "severity", "count", "subject", "invalid",
           "line", "hash", "reason", "content", "removed", "not a regular file", "absent", "moved aside"]).joined(separator: " ")

    /// The 4-grams of `values` whose presence in a quarantine file would be
    /// a leak: not all lowercase hex (a keyed hash is hex and may hold any
    /// hex 4-gram by chance) and not part of the record format.
    static func leakable(_ values: [String]) -> Set<[UInt8]> {
        var grams = Set<[UInt8]>()
        for value in values {
            let b = Array(value.utf8)
            guard b.count >= 4 else { continue }
            for i in 0...(b.count - 4) {
                let g = Array(b[i..<i + 4])
                let hex = g.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
                if !hex && !formatText.utf8.contains(subsequence: g) { grams.insert(g) }
            }
        }
        return grams
    }

    static func quarantineBytes(_ spool: SpoolDirectory) -> [(String, [UInt8])] {
        entries(spool.quarantinePath).map { ($0, Array(FileManager.default.contents(atPath: spool.quarantinePath + "/" + $0) ?? Data())) }
    }

    @Test func noQuarantineFileHoldsFourCharactersOfARejectedValue() async throws {
        await propertyCheck(count: 200, input: Self.file) { generated in
            let bytes = Array((generated.lines.joined(separator: "\n") + "\n").utf8)
            let parsed = SignalFile(bytes: bytes, validator: Self.validator, now: Self.now)
            let grams = Self.leakable(generated.values)
            do {
                try withSpool { spool in
                    let key = try spool.idKey()
                    let id = key.fileID(contentDigest: Array(bytes.prefix(32)))
                    try spool.quarantineLines(id: id, lines: parsed.rejected.map {
                        QuarantinedLine(number: $0.number, reason: $0.rejection.reason.rawValue, field: $0.rejection.field,
                                        content: Array(bytes[$0.span]))
                    })
                    // The same bytes refused whole (a bad byte at the end).
                    writeFile(spool.curPath + "/f", bytes + [0xFF])
                    try spool.quarantineWhole(claimed: "f", id: "whole", reason: .notUTF8)
                    for (name, content) in Self.quarantineBytes(spool) {
                        for g in grams where content.contains(subsequence: g) {
                            Issue.record("quarantine/\(name) holds \"\(String(decoding: g, as: UTF8.self))\" of a rejected value")
                        }
                    }
                    #expect(parsed.rejected.count == generated.lines.count - parsed.signals.count)
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence g: [UInt8]) -> Bool {
        guard g.count <= count else { return false }
        return (0...(count - g.count)).contains { i in self[i..<i + g.count].elementsEqual(g) }
    }
}

extension String.UTF8View {
    func contains(subsequence g: [UInt8]) -> Bool { Array(self).contains(subsequence: g) }
}
