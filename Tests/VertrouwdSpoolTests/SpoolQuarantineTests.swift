import Crypto
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

    @Test("a refused entry is removed, never followed; the record names the code and a keyed hash only", arguments: Kind.allCases)
    func whole(kind: Kind) throws {
        try withSpool { spool in
            let name = "pupil-jan-jansen.jsonl"
            let id = try spool.idKey().fileID(name: name)
            writeFile(spool.root + "/target", "target content")
            guard make(kind, at: spool.curPath + "/" + name, root: spool.root) else { return }
            let reason: FileRejectReason = kind == .regular ? .oversize : FileRejectReason(nonRegularMode: fileType(spool.curPath + "/" + name)!)!
            try spool.quarantineWhole(claimed: name, id: id, reason: reason)
            #expect(!exists(spool.curPath + "/" + name))
            let text = try #require(readFile(spool.quarantinePath + "/" + id + ".reason"))
            if kind == .regular {
                let bytes = Array("{\"v\":1}\n".utf8) + [0xFF]
                let hash = try spool.idKey().fileHash(contentDigest: Array(SHA256.hash(data: bytes)))
                #expect(text == "reason: oversize\ncontent: removed (hash \(hash))\n")
            } else {
                #expect(text == "reason: \(reason.rawValue)\ncontent: removed (not a regular file)\n")
            }
            #expect(!text.contains("jan") && !text.contains("inside") && !text.contains("target"))
            #expect(readFile(spool.root + "/target") == "target content")
            #expect(entries(spool.quarantinePath) == [id + ".reason"], "nothing of the entry is kept")
            // Again, as after a crash: no failure, nothing changes.
            try spool.quarantineWhole(claimed: name, id: id, reason: reason)
            #expect(entries(spool.quarantinePath) == [id + ".reason"])
            #expect(readFile(spool.quarantinePath + "/" + id + ".reason") == text)
        }
    }

    @Test("UTF-16 text hides a phone number from every PII detector: it is refused as utf16 and not kept")
    func utf16NotKept() throws {
        try withSpool { spool in
            let text = "{\"v\":1,\"note\":\"bel 0612345678\"}\n"
            var utf16: [UInt8] = [0xFF, 0xFE]
            for unit in text.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            writeFile(spool.curPath + "/f", utf16)
            #expect(spool.read(claimed: "f", maxBytes: 1 << 20) == .rejected(.utf16))
            try spool.quarantineWhole(claimed: "f", id: "q", reason: .utf16)
            #expect(entries(spool.quarantinePath) == ["q.reason"])
            let record = try #require(readFile(spool.quarantinePath + "/q.reason"))
            #expect(record.hasPrefix("reason: utf16\ncontent: removed (hash "))
        }
    }

    @Test("a crash after the reason was written is repaired by a second call")
    func crashBetween() throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/f", "abc")
            writeFile(spool.quarantinePath + "/q.reason", "reason: oversize\ncontent: removed (hash 0000000000000000)\n")
            try spool.quarantineWhole(claimed: "f", id: "q", reason: .oversize)
            #expect(entries(spool.quarantinePath) == ["q.reason"])
            #expect(!exists(spool.curPath + "/f"))
        }
    }

    @Test("a folder too deep to remove is the one thing moved aside, and the record says so")
    func deepFolder() throws {
        try withSpool { spool in
            var path = spool.curPath + "/d"
            for _ in 0..<40 {
                #expect(mkdir(path, 0o700) == 0)
                path += "/d"
            }
            try spool.quarantineWhole(claimed: "d", id: "q", reason: .directory)
            #expect(!exists(spool.curPath + "/d"))
            #expect(readFile(spool.quarantinePath + "/q.reason") == "reason: directory\ncontent: moved aside as q (a folder too deep to remove)\n")
            #expect(fileType(spool.quarantinePath + "/q") == S_IFDIR)
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

    @Test("bad lines: one record of reasons, numbers and keyed hashes; no line is kept")
    func lines() throws {
        try withSpool { spool in
            let key = try spool.idKey()
            let contents = ["{\"v\":", "{\"cohort\":\"06-12345678\"}", "{\"site\":\"jan-de-vries-4b\"}", "{\"note\":\"x\"}", "{}"]
            let lines = [
                QuarantinedLine(number: 2, reason: "malformed_json", content: Array(contents[0].utf8)),
                QuarantinedLine(number: 5, reason: "pii_phone", field: "cohort", content: Array(contents[1].utf8)),
                QuarantinedLine(number: 7, reason: "unknown_site", field: "site", content: Array(contents[2].utf8)),
                QuarantinedLine(number: 9, reason: "unknown_field", content: Array(contents[3].utf8)),
                // A field that is not an identifier is not written.
                QuarantinedLine(number: 11, reason: "unknown_field", field: "jan jansen", content: Array(contents[4].utf8)),
            ]
            try spool.quarantineLines(id: "abc123", lines: lines)
            let h = contents.map { key.lineHash(Array($0.utf8)) }
            #expect(readFile(spool.quarantinePath + "/abc123.reason") == """
                line 2: malformed_json hash \(h[0])
                line 5: pii_phone cohort hash \(h[1])
                line 7: unknown_site site hash \(h[2])
                line 9: unknown_field hash \(h[3])
                line 11: unknown_field invalid hash \(h[4])

                """)
            #expect(entries(spool.quarantinePath) == ["abc123.reason"])
            // Idempotent: the same call again leaves the same file.
            try spool.quarantineLines(id: "abc123", lines: lines)
            #expect(entries(spool.quarantinePath) == ["abc123.reason"])
        }
    }

    @Test("a stale temporary file from a crash is replaced")
    func staleTemp() throws {
        try withSpool { spool in
            writeFile(spool.quarantinePath + "/.q.reason.tmp", "half")
            try spool.quarantineLines(id: "q", lines: [QuarantinedLine(number: 1, reason: "bad_id", field: "id", content: [])])
            #expect(entries(spool.quarantinePath) == ["q.reason"])
            #expect(readFile(spool.quarantinePath + "/q.reason") == "line 1: bad_id id hash \(try spool.idKey().lineHash([]))\n")
        }
    }

    @Test("a symlink planted at the temporary name is not followed")
    func plantedTemp() throws {
        try withSpool { spool in
            writeFile(spool.root + "/victim", "keep")
            symlink(spool.root + "/victim", spool.quarantinePath + "/.q.reason.tmp")
            try spool.quarantineLines(id: "q", lines: [])
            #expect(readFile(spool.root + "/victim") == "keep")
            #expect(fileType(spool.quarantinePath + "/q.reason") == S_IFREG)
        }
    }
}
