import Crypto
import Glibc
import Testing
import VertrouwdCore
@testable import VertrouwdSpool

/// Issue 13, finding 10: every id in a log line or a quarantine record is a
/// keyed hash under a per-install secret, stable for one install.
@Suite("Keyed spool ids")
struct SpoolIDKeyTests {
    let content = Array(#"{"v":1,"id":"sig-00000001","ts":"2026-11-29T10:15:00+01:00","source":"webfilter","category":"grooming"}"#.utf8)
    var digest: [UInt8] { Array(SHA256.hash(data: content)) }
    var plain: String { Hex.digits(digest) }

    @Test("two installs give different ids for the same content, neither a prefix of the plain SHA-256")
    func twoInstalls() throws {
        let a = try withSpool { try $0.idKey().fileID(contentDigest: digest) }
        let b = try withSpool { try $0.idKey().fileID(contentDigest: digest) }
        #expect(a != b)
        for id in [a, b] {
            #expect(id.count == 12 && id.allSatisfy(\.isHexDigit))
            #expect(!plain.hasPrefix(id), "an id must not be the plain content hash")
        }
    }

    @Test("one install: the same id after a restart (a new SpoolDirectory reads the same key)")
    func stable() throws {
        try withSpool { spool in
            let first = try spool.idKey().fileID(contentDigest: digest)
            let restarted = SpoolDirectory(root: spool.root)
            try restarted.prepare()
            #expect(try restarted.idKey().fileID(contentDigest: digest) == first)
            #expect(try restarted.idKey().fileID(name: "a") == spool.idKey().fileID(name: "a"))
        }
    }

    @Test("the key file is 32 bytes, mode 0600, made on first use")
    func keyFile() throws {
        try withSpool(prepared: false) { spool in
            let old = umask(0)
            defer { umask(old) }
            #expect(!exists(spool.idKeyPath))
            try spool.prepare()
            #expect(fileType(spool.idKeyPath) == S_IFREG)
            #expect(mode(spool.idKeyPath) == 0o600)
            var st = stat()
            #expect(lstat(spool.idKeyPath, &st) == 0 && st.st_size == 32)
            #expect(!entries(spool.root).contains { $0.hasSuffix(".tmp") }, "no temporary file is left")
        }
    }

    @Test("a key file others can read, of the wrong size, or a symlink is refused")
    func refused() throws {
        try withSpool(prepared: false) { spool in
            try spool.prepare()
            let path = spool.idKeyPath
            chmod(path, 0o644)
            #expect(throws: SpoolError.self) { try SpoolDirectory(root: spool.root).idKey() }
            chmod(path, 0o600)
            _ = try SpoolDirectory(root: spool.root).idKey()
            unlink(path)
            writeFile(path, [UInt8](repeating: 1, count: 31))
            chmod(path, 0o600)
            #expect(throws: SpoolError.self) { try SpoolDirectory(root: spool.root).idKey() }
            unlink(path)
            writeFile(spool.root + "/elsewhere", [UInt8](repeating: 1, count: 32))
            chmod(spool.root + "/elsewhere", 0o600)
            symlink(spool.root + "/elsewhere", path)
            #expect(throws: SpoolError.self) { try SpoolDirectory(root: spool.root).idKey() }
        }
    }

    @Test("each kind of id is domain-separated")
    func domains() {
        let key = SpoolIDKey(bytes: [UInt8](repeating: 7, count: 32))
        #expect(key.fileID(contentDigest: digest) != key.fileID(nameBytes: digest))
        #expect(key.lineHash(digest).prefix(12) != key.fileHash(contentDigest: digest).prefix(12))
        #expect(key.lineHash(content).count == 16)
    }
}
