import Foundation
import Glibc
import Testing
import VertrouwdCore
@testable import VertrouwdSpool

/// The quarantine's record format, byte for byte (issue 13, finding 12):
/// a fixed key, a file of rejected lines of every kind, and entries refused
/// whole. Run with VERTROUWD_UPDATE_GOLDEN=1 to write the expected file
/// anew, then read the change before committing.
@Suite("Quarantine record format")
struct QuarantineGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/quarantine-records.txt")

    /// A spool whose id key is the bytes 0…31.
    func withFixedKeySpool(_ body: (SpoolDirectory) throws -> Void) throws {
        try withSpool(prepared: false) { spool in
            #expect(mkdir(spool.root, 0o755) == 0)
            writeFile(spool.idKeyPath, (0..<32).map { UInt8($0) })
            chmod(spool.idKeyPath, 0o600)
            try spool.prepare()
            #expect(try spool.idKey() == SpoolIDKey(bytes: (0..<32).map { UInt8($0) }))
            try body(spool)
        }
    }

    @Test func recordsMatchTheGoldenFile() throws {
        try withFixedKeySpool { spool in
            let base = #""v":1,"id":"sig-kwartier","ts":"2026-11-29T10:15:00+01:00","source":"webfilter","category":"grooming""#
            let lines = [
                "{" + base + "}",
                "{" + base + #","note":"jan-de-vries-4b"}"#,
                "{" + base + #","site":"jan-de-vries-4b"}"#,
                "{" + base + #","note":"bel 06-12345678"}"#,
                "{" + base + #","site":"0\u00006\u00001\u00002"}"#,
                "{" + base.replacingOccurrences(of: "grooming", with: "g\u{0}r\u{0}o") + "}",
                "{" + base,
                "",
                "{" + base + #","count":0}"#,
            ]
            let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
            let parsed = SignalFile(bytes: bytes, validator: QuarantinePropertyTests.validator, now: QuarantinePropertyTests.now)
            let key = try spool.idKey()
            let id = key.fileID(contentDigest: Array(bytes.prefix(32)))
            try spool.quarantineLines(id: id, lines: parsed.rejected.map {
                QuarantinedLine(number: $0.number, reason: $0.rejection.reason.rawValue, field: $0.rejection.field,
                                content: Array(bytes[$0.span]))
            })
            writeFile(spool.curPath + "/utf16", [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00, 0x0A, 0x00])
            try spool.quarantineWhole(claimed: "utf16", id: key.fileID(name: "utf16"), reason: .utf16)
            #expect(symlink("/etc/passwd", spool.curPath + "/link") == 0)
            try spool.quarantineWhole(claimed: "link", id: key.fileID(name: "link"), reason: .symlink)
            try spool.quarantineWhole(claimed: "gone", id: key.fileID(name: "gone"), reason: .unreadable)

            var actual = ""
            for name in entries(spool.quarantinePath) {
                actual += "== \(name)\n" + (readFile(spool.quarantinePath + "/" + name) ?? "")
            }
            if ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" {
                try actual.write(to: Self.golden, atomically: true, encoding: .utf8)
            }
            let expected = try String(contentsOf: Self.golden, encoding: .utf8)
            #expect(actual == expected)
            #expect(!actual.contains("jan") && !actual.contains("bel") && !actual.contains("passwd"))
        }
    }
}
