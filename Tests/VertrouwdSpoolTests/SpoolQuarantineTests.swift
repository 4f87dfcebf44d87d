import Glibc
import Testing
@testable import VertrouwdSpool

@Suite("Quarantine")
struct SpoolQuarantineTests {
    enum Kind: String, CaseIterable { case regular, symlink, fifo, socket, directory, device }

    /// Makes an entry of the kind in cur/; false when not possible here.
    func make(_ kind: Kind, at path: String, root: String) -> Bool {
        switch kind {
        case .regular: writeFile(path, Array("{\"v\":1}\n".utf8) + [0xFF]); return true
        case .symlink: return symlink(root + "/target", path) == 0
        case .fifo: return mkfifo(path, 0o600) == 0
        case .socket: return makeSocket(path)
        case .directory:
            guard mkdir(path, 0o700) == 0 else { return false }
            writeFile(path + "/inner", "inside")
            return true
        case .device: return mknod(path, S_IFCHR | 0o600, dev_t((1 << 8) | 3)) == 0
        }
    }

    @Test("a refused entry moves whole; the reason names the code only", arguments: Kind.allCases)
    func whole(kind: Kind) throws {
        try withSpool { spool in
            let name = "pupil-jan-jansen.jsonl"
            let id = spoolFileID(for: name)
            writeFile(spool.root + "/target", "target content")
            guard make(kind, at: spool.curPath + "/" + name, root: spool.root) else { return }
            let reason: FileRejectReason = kind == .regular ? .oversize : FileRejectReason(nonRegularMode: fileType(spool.curPath + "/" + name)!)!
            try spool.quarantineWhole(claimed: name, id: id, reason: reason)
            #expect(!exists(spool.curPath + "/" + name))
            let expected: mode_t = switch kind {
            case .regular: S_IFREG
            case .symlink: S_IFLNK
            case .fifo: S_IFIFO
            case .socket: S_IFSOCK
            case .directory: S_IFDIR
            case .device: S_IFCHR
            }
            #expect(fileType(spool.quarantinePath + "/" + id) == expected)
            let text = try #require(readFile(spool.quarantinePath + "/" + id + ".reason"))
            #expect(text == "reason: \(reason.rawValue)\ncontent: kept as \(id)\n")
            #expect(!text.contains("jan"))
            #expect(readFile(spool.root + "/target") == "target content")
            #expect(entries(spool.quarantinePath) == [id, id + ".reason"])
            // Again, as after a crash: no failure, nothing changes.
            try spool.quarantineWhole(claimed: name, id: id, reason: reason)
            #expect(entries(spool.quarantinePath) == [id, id + ".reason"])
            #expect(readFile(spool.quarantinePath + "/" + id + ".reason") == text)
        }
    }

    @Test("a file the PII gate fires on is dropped, only the reason stays")
    func piiWithheld() throws {
        try withSpool { spool in
            let name = "f.jsonl"
            let id = spoolFileID(for: name)
            writeFile(spool.curPath + "/" + name, "{\"v\":1}\n{\"note\":\"mail jan@example.com\"}\n\u{FF}")
            try spool.quarantineWhole(claimed: name, id: id, reason: .notUTF8)
            #expect(!exists(spool.curPath + "/" + name))
            #expect(entries(spool.quarantinePath) == [id + ".reason"])
            let text = try #require(readFile(spool.quarantinePath + "/" + id + ".reason"))
            #expect(text == "reason: not_utf8\ncontent: withheld (pii_email on line 2)\n")
            #expect(!text.contains("example"))
            try spool.quarantineWhole(claimed: name, id: id, reason: .notUTF8)
            #expect(readFile(spool.quarantinePath + "/" + id + ".reason") == text)
        }
    }

    @Test("a crash after the reason was written is repaired by a second call")
    func crashBetween() throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/f", "abc")
            writeFile(spool.quarantinePath + "/q.reason", "reason: oversize\ncontent: kept as q\n")
            try spool.quarantineWhole(claimed: "f", id: "q", reason: .oversize)
            #expect(entries(spool.quarantinePath) == ["q", "q.reason"])
            #expect(readFile(spool.quarantinePath + "/q") == "abc")
        }
    }

    @Test("a file that vanished gets a reason saying so")
    func vanished() throws {
        try withSpool { spool in
            try spool.quarantineWhole(claimed: "gone", id: "q", reason: .unreadable)
            #expect(readFile(spool.quarantinePath + "/q.reason")
                == "reason: unreadable\ncontent: absent (the file vanished before quarantine)\n")
        }
    }

    @Test("bad names and ids are refused")
    func badIDs() throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/f", "x")
            #expect(throws: SpoolError.self) { try spool.quarantineWhole(claimed: "f", id: "../x", reason: .oversize) }
            #expect(throws: SpoolError.self) { try spool.quarantineWhole(claimed: "f", id: ".hidden", reason: .oversize) }
            #expect(throws: SpoolError.self) { try spool.quarantineWhole(claimed: "../f", id: "q", reason: .oversize) }
            #expect(throws: SpoolError.self) { try spool.quarantineLines(id: "a/b", lines: []) }
            #expect(exists(spool.curPath + "/f"))
        }
    }

    @Test("bad lines: content and reason files, withheld lines without content")
    func lines() throws {
        try withSpool { spool in
            let lines = [
                QuarantinedLine(number: 2, reason: "malformed_json", content: Array("{\"v\":".utf8)),
                QuarantinedLine(number: 5, reason: "pii_phone", field: "cohort", content: nil),
                QuarantinedLine(number: 7, reason: "unknown_site", field: "site", content: Array("{\"site\":\"x\"}".utf8)),
                // The gate fires here too, though the caller kept the content.
                QuarantinedLine(number: 9, reason: "line_too_long", content: Array("{\"a\":\"06-12345678\"}".utf8)),
                // A field that is not an identifier is not written.
                QuarantinedLine(number: 11, reason: "unknown_field", field: "jan jansen", content: nil),
            ]
            try spool.quarantineLines(id: "abc123", lines: lines)
            #expect(readFile(spool.quarantinePath + "/abc123.lines") == """
                {"v":
                # line 5 withheld: pii_phone
                {"site":"x"}
                # line 9 withheld: pii_phone
                # line 11 withheld: unknown_field

                """)
            #expect(readFile(spool.quarantinePath + "/abc123.reason") == """
                line 2: malformed_json
                line 5: pii_phone cohort
                line 7: unknown_site site
                line 9: line_too_long
                line 11: unknown_field invalid

                """)
            #expect(entries(spool.quarantinePath) == ["abc123.lines", "abc123.reason"])
            // Idempotent: the same call again leaves the same files.
            try spool.quarantineLines(id: "abc123", lines: lines)
            #expect(entries(spool.quarantinePath) == ["abc123.lines", "abc123.reason"])
        }
    }

    @Test("a stale temporary file from a crash is replaced")
    func staleTemp() throws {
        try withSpool { spool in
            writeFile(spool.quarantinePath + "/.q.reason.tmp", "half")
            try spool.quarantineLines(id: "q", lines: [QuarantinedLine(number: 1, reason: "bad_id", field: "id", content: nil)])
            #expect(entries(spool.quarantinePath) == ["q.lines", "q.reason"])
            #expect(readFile(spool.quarantinePath + "/q.reason") == "line 1: bad_id id\n")
        }
    }

    @Test("a symlink planted at the temporary name is not followed")
    func plantedTemp() throws {
        try withSpool { spool in
            writeFile(spool.root + "/victim", "keep")
            symlink(spool.root + "/victim", spool.quarantinePath + "/.q.lines.tmp")
            try spool.quarantineLines(id: "q", lines: [])
            #expect(readFile(spool.root + "/victim") == "keep")
            #expect(fileType(spool.quarantinePath + "/q.lines") == S_IFREG)
        }
    }
}
