import Crypto
import Glibc
import Testing
import VertrouwdCore
@testable import VertrouwdSpool

@Suite("Spool folders, listing and claiming")
struct SpoolDirectoryTests {
    @Test("prepare creates the four folders with their modes")
    func prepareModes() throws {
        try withSpool(prepared: false) { spool in
            let old = umask(0o077)
            defer { umask(old) }
            try spool.prepare()
            #expect(mode(spool.root) == 0o755)
            #expect(mode(spool.tmpPath) == 0o2730)
            #expect(mode(spool.newPath) == 0o2730)
            #expect(mode(spool.curPath) == 0o700)
            #expect(mode(spool.quarantinePath) == 0o700)
        }
    }

    @Test("prepare leaves the modes of existing folders alone")
    func prepareKeepsModes() throws {
        try withSpool { spool in
            chmod(spool.newPath, 0o770)
            chmod(spool.curPath, 0o750)
            rmdir(spool.quarantinePath)
            try spool.prepare()
            #expect(mode(spool.newPath) == 0o770)
            #expect(mode(spool.curPath) == 0o750)
            #expect(mode(spool.quarantinePath) == 0o700)
        }
    }

    @Test("prepare refuses a symlink in place of a folder")
    func prepareRefusesSymlink() throws {
        try withSpool { spool in
            rmdir(spool.curPath)
            symlink("/tmp", spool.curPath)
            #expect(throws: SpoolError.self) { try spool.prepare() }
        }
    }

    @Test("pending lists entries of any type, sorted, skipping dot names")
    func pendingLists() throws {
        try withSpool { spool in
            writeFile(spool.newPath + "/b", "x")
            writeFile(spool.newPath + "/a", "x")
            writeFile(spool.newPath + "/.hidden", "x")
            symlink("/etc/passwd", spool.newPath + "/c-link")
            mkfifo(spool.newPath + "/d-fifo", 0o600)
            mkdir(spool.newPath + "/e-dir", 0o700)
            let r1 = try spool.pending(.new)
            #expect(r1 == ["a", "b", "c-link", "d-fifo", "e-dir"])
            let r2 = try spool.pending(.cur)
            #expect(r2 == [])
        }
    }

    @Test("pending refuses a symlink in place of new/")
    func pendingSymlinkedFolder() throws {
        try withSpool { spool in
            rmdir(spool.newPath)
            symlink(spool.curPath, spool.newPath)
            #expect(throws: SpoolError.self) { try spool.pending(.new) }
        }
    }

    @Test("pending renames a name that is not UTF-8 to a safe one")
    func pendingInvalidName() throws {
        try withSpool { spool in
            var path = Array((spool.newPath + "/bad-").utf8)
            path += [0xFF, 0xFE, 0]
            let fd = path.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o600) }
            }
            #expect(fd >= 0)
            close(fd)
            let names = try spool.pending(.new)
            #expect(names.count == 1)
            #expect(names[0].hasPrefix("invalid-name-"))
            let r3 = try spool.claim(names[0])
            #expect(r3)
        }
    }

    @Test("claim moves new to cur; a vanished name is false")
    func claimMoves() throws {
        try withSpool { spool in
            writeFile(spool.newPath + "/one.jsonl", "{}\n")
            let r4 = try spool.claim("one.jsonl")
            #expect(r4)
            #expect(!exists(spool.newPath + "/one.jsonl"))
            #expect(readFile(spool.curPath + "/one.jsonl") == "{}\n")
            let r5 = try spool.claim("one.jsonl")
            #expect(r5 == false)
            let r6 = try spool.claim("never.jsonl")
            #expect(r6 == false)
        }
    }

    @Test("claim moves a symlink without following it")
    func claimSymlink() throws {
        try withSpool { spool in
            symlink("/etc/passwd", spool.newPath + "/link")
            let r7 = try spool.claim("link")
            #expect(r7)
            #expect(fileType(spool.curPath + "/link") == S_IFLNK)
            #expect(exists("/etc/passwd"))
        }
    }

    @Test("claim never replaces a claimed file")
    func claimNoReplace() throws {
        try withSpool { spool in
            writeFile(spool.newPath + "/f", "new")
            writeFile(spool.curPath + "/f", "old")
            let id = try spool.idKey().fileID(name: "f")
            #expect(throws: SpoolError(operation: "claim", path: spool.curPath + "/<file \(id)>", errno: EEXIST)) {
                try spool.claim("f")
            }
            #expect(readFile(spool.curPath + "/f") == "old")
        }
    }

    @Test("claim refuses names that are not one folder entry", arguments: ["../x", "a/b", "", ".", "..", "a\u{0}b", "/etc/passwd"])
    func claimRefuses(name: String) throws {
        try withSpool { spool in
            writeFile(spool.root + "/x", "outside")
            #expect(throws: SpoolError.self) { try spool.claim(name) }
            #expect(exists(spool.root + "/x"))
        }
    }

    @Test("remove is idempotent")
    func removeIdempotent() throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/f", "x")
            try spool.remove(claimed: "f")
            #expect(!exists(spool.curPath + "/f"))
            try spool.remove(claimed: "f")
            #expect(throws: SpoolError.self) { try spool.remove(claimed: "../new") }
        }
    }

    @Test("errors name files by ID, never by name")
    func errorsUseIDs() throws {
        try withSpool { spool in
            let name = "jan.jansen@school.nl"
            writeFile(spool.newPath + "/" + name, "x")
            writeFile(spool.curPath + "/" + name, "x")
            do {
                _ = try spool.claim(name)
                Issue.record("expected an error")
            } catch let error as SpoolError {
                #expect(!error.description.contains("jan"))
                #expect(error.description.contains(try spool.idKey().fileID(name: name)))
                // Keyed: not the plain SHA-256 of the name.
                #expect(!error.description.contains(Hex.digits(Array(SHA256.hash(data: Array(name.utf8))).prefix(6))))
            }
        }
    }

    @Test("a spool that was not prepared names no file id in errors, not even a plain hash")
    func errorsWithoutKey() throws {
        try withSpool { prepared in
            writeFile(prepared.newPath + "/f", "new")
            writeFile(prepared.curPath + "/f", "old")
            let fresh = SpoolDirectory(root: prepared.root)
            #expect(throws: SpoolError(operation: "claim", path: fresh.curPath + "/<file>", errno: EEXIST)) {
                try fresh.claim("f")
            }
        }
    }

    @Test("SpoolError classifies ENOSPC, EDQUOT and EROFS")
    func errorKinds() {
        #expect(SpoolError(operation: "x", path: "p", errno: ENOSPC).isNoSpace)
        #expect(SpoolError(operation: "x", path: "p", errno: EDQUOT).isNoSpace)
        #expect(SpoolError(operation: "x", path: "p", errno: EROFS).isReadOnly)
        #expect(!SpoolError(operation: "x", path: "p", errno: EIO).isNoSpace)
        #expect(SpoolError(operation: "rename", path: "/s/new", errno: ENOSPC).description
            == "rename /s/new: No space left on device (errno \(ENOSPC))")
    }
}
