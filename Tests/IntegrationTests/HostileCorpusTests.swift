import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One hostile input: what to put into the spool, how many signals must be
/// counted, which health reason must be recorded, and which strings must
/// never reach the log or a quarantine reason.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var expected: Int
    var reason: String?
    var forbidden: [String] = []
    var place: @Sendable (DaemonHarness) throws -> Void

    var testDescription: String { name }
}

/// A valid line beside a bad one: the valid one must still count.
func pair(_ name: String, reason: String, forbidden: [String] = [], _ bad: @escaping @Sendable () -> String) -> HostileCase {
    HostileCase(name: name, expected: 1, reason: reason, forbidden: forbidden) { h in
        try h.drop(Lines.signal() + "\n" + bad() + "\n", name: "SECRET-NAME-\(name)")
    }
}

let hostileCases: [HostileCase] = [
    // Line level: each reason code.
    pair("malformed-json", reason: "malformed_json") { #"{"v":1,"id":"#  },
    pair("not-an-object", reason: "not_an_object") { "[1,2,3]" },
    pair("trailing-data", reason: "trailing_data") { Lines.signal() + " {}" },
    pair("duplicate-field", reason: "duplicate_field") { String(Lines.signal().dropLast()) + #","site":"dependance"}"# },
    pair("unknown-field", reason: "unknown_field", forbidden: ["zwartepiet"]) { Lines.signal([("zwartepiet", "\"x\"")]) },
    pair("missing-field", reason: "missing_field") { Lines.signal(dropping: ["category"]) },
    pair("wrong-type", reason: "wrong_type") { Lines.signal([("v", "\"1\"")]) },
    pair("bad-version", reason: "bad_version") { Lines.signal([("v", "2")]) },
    pair("bad-id", reason: "bad_id") { Lines.signal(id: "abc") },
    pair("bad-timestamp", reason: "bad_timestamp") { Lines.signal([("ts", "\"2026-11-29T10:15:00\"")]) },
    pair("from-the-future", reason: "from_future") { Lines.signal([("ts", "\"\(Lines.now(offsetSeconds: 86_400))\"")]) },
    pair("too-old", reason: "too_old") { Lines.signal([("ts", "\"\(Lines.now(offsetSeconds: -30 * 86_400))\"")]) },
    pair("unknown-source", reason: "unknown_source", forbidden: ["printerdienst"]) { Lines.signal([("source", "\"printerdienst\"")]) },
    pair("unknown-category", reason: "unknown_category", forbidden: ["weerbericht"]) { Lines.signal([("category", "\"weerbericht\"")]) },
    pair("unknown-site", reason: "unknown_site", forbidden: ["zolderkamer"]) { Lines.signal([("site", "\"zolderkamer\"")]) },
    pair("unknown-cohort", reason: "unknown_cohort", forbidden: ["klas-99"]) { Lines.signal([("cohort", "\"klas-99\"")]) },
    pair("unknown-channel", reason: "unknown_channel", forbidden: ["myspace"]) { Lines.signal([("channel", "\"myspace\"")]) },
    pair("bad-severity", reason: "bad_severity", forbidden: ["extreme"]) { Lines.signal([("severity", "\"extreme\"")]) },
    pair("count-zero", reason: "bad_count") { Lines.signal([("count", "0")]) },
    pair("count-too-large", reason: "bad_count") { Lines.signal([("count", "1001")]) },
    pair("count-fraction", reason: "wrong_type") { Lines.signal([("count", "2.5")]) },
    pair("line-too-long", reason: "line_too_long") { "{" + String(repeating: " ", count: 9_000) + "}" },
    // Line level: the PII gate, in known and unknown fields.
    pair("pii-email", reason: "pii_email", forbidden: ["jan.jansen@example.nl"]) { Lines.signal([("site", "\"jan.jansen@example.nl\"")]) },
    pair("pii-email-unknown-field", reason: "pii_email", forbidden: ["pietje@school.nl"]) { Lines.signal([("note", "\"mail pietje@school.nl\"")]) },
    pair("pii-phone", reason: "pii_phone", forbidden: ["06-12345678"]) { Lines.signal([("channel", "\"06-12345678\"")]) },
    pair("pii-iban", reason: "pii_iban", forbidden: ["NL91ABNA0417164300"]) { Lines.signal([("cohort", "\"NL91ABNA0417164300\"")]) },
    pair("pii-ipv4", reason: "pii_ip", forbidden: ["192.168.10.23"]) { Lines.signal([("ip", "\"192.168.10.23\"")]) },
    pair("pii-ipv6", reason: "pii_ip", forbidden: ["2001:db8:85a3::8a2e:370:7334"]) { Lines.signal([("site", "\"2001:db8:85a3::8a2e:370:7334\"")]) },
    pair("pii-mac", reason: "pii_mac", forbidden: ["00:1a:2b:3c:4d:5e"]) { Lines.signal([("device", "\"00:1a:2b:3c:4d:5e\"")]) },
    pair("pii-bsn", reason: "pii_bsn", forbidden: ["111222333"]) { Lines.signal([("cohort", "\"111222333\"")]) },
    pair("pii-handle", reason: "pii_handle", forbidden: ["@pietje_2010"]) { Lines.signal([("channel", "\"@pietje_2010\"")]) },
    pair("pii-url", reason: "pii_url", forbidden: ["https://example.nl/profiel/pietje"]) { Lines.signal([("note", "\"https://example.nl/profiel/pietje\"")]) },
    pair("pii-digits", reason: "pii_digits", forbidden: ["98765432107"]) { Lines.signal([("category", "\"98765432107\"")]) },
    pair("pii-in-malformed-line", reason: "pii_email", forbidden: ["kees@example.org"]) { #"{"v":1,"note":"kees@example.org""# },

    // File level.
    HostileCase(name: "not-utf8", expected: 0, reason: "file_not_utf8") { h in
        var bytes = Array((Lines.signal() + "\n").utf8)
        bytes += Array(#"{"v":1,"site":""#.utf8) + [0xE9, 0x22, 0x7D, 0x0A]
        try h.drop(bytes, name: "SECRET-NAME-latin1")
    },
    HostileCase(name: "binary-garbage", expected: 0, reason: "file_not_utf8") { h in
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<4_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // Not UTF-8 from the first byte, and never taken for UTF-16: that
        // starts with a byte-order mark (FF FE) or has a NUL among its first
        // two bytes (`file_utf16`), which random bytes did once in 128 runs.
        bytes[0] = 0xFF
        bytes[1] = 0xFF
        try h.drop(bytes, name: "SECRET-NAME-garbage")
    },
    HostileCase(name: "symlink", expected: 0, reason: "file_symlink") { h in
        let target = try h.dir.write("outside.jsonl", Lines.signal() + "\n")
        #expect(symlink(target.path, h.spool + "/new/SECRET-NAME-link") == 0)
    },
    HostileCase(name: "dangling-symlink", expected: 0, reason: "file_symlink") { h in
        #expect(symlink(h.root + "/nowhere", h.spool + "/new/SECRET-NAME-dangling") == 0)
    },
    HostileCase(name: "symlink-to-etc-shadow", expected: 0, reason: "file_symlink", forbidden: ["root:"]) { h in
        #expect(symlink("/etc/shadow", h.spool + "/new/SECRET-NAME-shadow") == 0)
    },
    HostileCase(name: "fifo", expected: 0, reason: "file_fifo") { h in
        #expect(mkfifo(h.spool + "/new/SECRET-NAME-fifo", 0o600) == 0)
    },
    HostileCase(name: "directory", expected: 0, reason: "file_directory") { h in
        // Made whole in tmp/, then renamed into new/ in one step: the
        // daemon is running, and a directory made in new/ could be
        // quarantined before the file inside it was written.
        let d = h.spool + "/tmp/SECRET-NAME-dir"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: false)
        try (Lines.signal() + "\n").write(toFile: d + "/inside.jsonl", atomically: false, encoding: .utf8)
        #expect(rename(d, h.spool + "/new/SECRET-NAME-dir") == 0)
    },
    HostileCase(name: "unix-socket", expected: 0, reason: "file_socket") { h in
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let path = h.spool + "/new/SECRET-NAME-sock"
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in for (i, b) in path.utf8.enumerated() { buf[i] = b } }
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(fd)
        #expect(ok == 0)
    },
    HostileCase(name: "oversize", expected: 0, reason: "file_oversize") { h in
        // Over the 3 MiB limit the tests run with: a valid signal, then blank lines.
        try h.drop(Lines.signal() + String(repeating: "\n", count: 3_200_000), name: "SECRET-NAME-big")
    },
    HostileCase(name: "empty-file", expected: 0) { h in try h.drop("", name: "SECRET-NAME-empty") },
    HostileCase(name: "blank-lines-only", expected: 0) { h in try h.drop("\n\n   \r\n\t\n", name: "SECRET-NAME-blank") },
    HostileCase(name: "crlf", expected: 3) { h in
        try h.drop((0..<3).map { _ in Lines.signal() }.joined(separator: "\r\n") + "\r\n")
    },
    HostileCase(name: "no-final-newline", expected: 2) { h in try h.drop(Lines.signal() + "\n" + Lines.signal()) },
    HostileCase(name: "count-field", expected: 7) { h in try h.drop(Lines.signal([("count", "7")]) + "\n") },
    HostileCase(name: "same-signals-under-another-name", expected: 3, reason: "duplicate") { h in
        let lines = (0..<3).map { _ in Lines.signal() }
        try h.drop(lines.joined(separator: "\n") + "\n", name: "first")
        try waitUntil("the first file is counted", timeout: 10) { (try? h.total()) == 3 }
        try h.drop(lines.reversed().joined(separator: "\n") + "\n", name: "second")
    },
    HostileCase(name: "same-file-twice", expected: 2) { h in
        let text = Lines.signal() + "\n" + Lines.signal() + "\n"
        try h.drop(text, name: "a")
        try h.drop(text, name: "b")
        try waitUntil("both are gone", timeout: 10) { h.entries("new").isEmpty && h.entries("cur").isEmpty }
        try h.drop(text, name: "a")
    },
    HostileCase(name: "duplicate-id-in-one-file", expected: 1, reason: "duplicate") { h in
        let id = Lines.id()
        try h.drop(Lines.signal(id: id) + "\n" + Lines.signal(id: id) + "\n")
    },
    HostileCase(name: "ten-thousand-lines", expected: 10_000) { h in
        try h.drop((0..<10_000).map { _ in Lines.signal() }.joined(separator: "\n") + "\n")
    },
    HostileCase(name: "file-left-in-cur", expected: 2) { h in
        try (Lines.signal() + "\n" + Lines.signal() + "\n").write(toFile: h.spool + "/cur/left-by-a-crash", atomically: false, encoding: .utf8)
    },
    HostileCase(name: "hostile-file-name", expected: 1, forbidden: ["evil\n<3>forged"]) { h in
        try h.drop(Lines.signal() + "\n", name: "SECRET-NAME evil\n<3>forged log line ü")
    },
]

extension Integration {
    @Suite(.serialized) struct HostileCorpusTests {
        @Test func corpusHasAtLeastFortyCases() {
            #expect(hostileCases.count >= 40)
        }

        @Test(arguments: hostileCases)
        func hostileInputIsCountedExactlyAndLeaksNothing(_ c: HostileCase) throws {
            let h = try DaemonHarness(spool: "max_file_bytes = 3145728")
            try h.prepareSpool()
            try h.start()
            try c.place(h)
            try h.waitUntilDrained()
            try waitUntil("the count settles", timeout: 10) { try h.total() == c.expected }
            #expect(h.stop() == 0, "SIGTERM ends the daemon with status 0")
            #expect(try h.total() == c.expected)
            if let reason = c.reason {
                let health = try h.health()
                #expect(health[reason] != nil, "health records \(reason): \(health)")
            }
            #expect(h.entries("new").isEmpty && h.entries("cur").isEmpty)
            let log = h.log
            #expect(!log.contains("SECRET-NAME"), "file names are never logged:\n\(log)")
            var quarantineReasons = ""
            for entry in h.entries("quarantine") where entry.hasSuffix(".reason") {
                quarantineReasons += (try? String(contentsOfFile: h.spool + "/quarantine/" + entry, encoding: .utf8)) ?? ""
            }
            #expect(!quarantineReasons.contains("SECRET-NAME"))
            for value in c.forbidden {
                #expect(!log.contains(value), "\(value) reached the log:\n\(log)")
                #expect(!quarantineReasons.contains(value), "\(value) reached a quarantine reason")
            }
            if c.reason?.hasPrefix("pii_") == true {
                // A PII line's content is not kept anywhere.
                for entry in h.entries("quarantine") {
                    let data = (try? Data(contentsOf: URL(fileURLWithPath: h.spool + "/quarantine/" + entry))) ?? Data()
                    for value in c.forbidden {
                        #expect(data.range(of: Data(value.utf8)) == nil, "\(value) kept in quarantine/\(entry)")
                    }
                }
            }
        }
    }
}
