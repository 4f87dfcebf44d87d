import Crypto
import Foundation
import Glibc
import Testing
@testable import VertrouwdSpool

@Suite("Reading claimed spool files")
struct SpoolReadTests {
    static let sha256abc: [UInt8] = [
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    ]
    static let sha256empty: [UInt8] = [
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
        0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    ]

    @Test("a regular file gives its bytes and their SHA-256")
    func regular() throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/f", "abc")
            #expect(spool.read(claimed: "f", maxBytes: 100) == .content(Array("abc".utf8), digest: Self.sha256abc))
            #expect(spool.read(claimed: "f", maxBytes: 3) == .content(Array("abc".utf8), digest: Self.sha256abc))
        }
    }

    /// `readAtMost` sizes its array by fstat; what fstat cannot size (a
    /// pipe says 0) or what is longer than it said is read on, in order,
    /// and `limit` still holds.
    @Test("reading past the size fstat gives, and up to the limit only")
    func readPastTheHint() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) }
        let (reading, writing) = (fds[0], fds[1])
        let writer = Thread {
            var off = 0
            while off < bytes.count {
                let n = bytes[off...].withUnsafeBytes { write(writing, $0.baseAddress, min($0.count, 4_096)) }
                if n <= 0 { break }
                off += n
            }
            close(writing)
        }
        writer.start()
        #expect(readAtMost(fd: reading, limit: 1 << 20) == bytes, "200,000 bytes through a pipe, whose size fstat gives as 0 (read as 64 KiB, then grown)")
        close(reading)

        try withSpool { spool in
            writeFile(spool.curPath + "/f", Array(bytes[..<10_000]))
            let fd = open(spool.curPath + "/f", O_RDONLY)
            defer { close(fd) }
            #expect(readAtMost(fd: fd, limit: 4_097) == Array(bytes[..<4_097]))
        }
    }

    @Test("an empty file gives no bytes")
    func empty() throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/f", [])
            #expect(spool.read(claimed: "f", maxBytes: 10) == .content([], digest: Self.sha256empty))
        }
    }

    @Test("a symlink is rejected and its target never touched", arguments: ["regular", "/etc/passwd", "dangling"])
    func symlinks(target: String) throws {
        try withSpool { spool in
            let targetPath: String
            switch target {
            case "regular":
                targetPath = spool.root + "/target"
                writeFile(targetPath, "abc")
            case "dangling":
                targetPath = spool.root + "/nothing-here"
            default:
                targetPath = target
            }
            var before = stat()
            let hadTarget = stat(targetPath, &before) == 0
            #expect(symlink(targetPath, spool.curPath + "/link") == 0)
            #expect(spool.read(claimed: "link", maxBytes: 1 << 20) == .rejected(.symlink))
            #expect(fileType(spool.curPath + "/link") == S_IFLNK)
            if hadTarget, target == "regular" {
                var after = stat()
                #expect(stat(targetPath, &after) == 0)
                #expect(after.st_atim.tv_sec == before.st_atim.tv_sec && after.st_atim.tv_nsec == before.st_atim.tv_nsec)
            }
        }
    }

    @Test("a FIFO is rejected at once, never opened")
    func fifo() throws {
        try withSpool { spool in
            #expect(mkfifo(spool.curPath + "/p", 0o600) == 0)
            // Opening a FIFO for reading without a writer would block; the
            // call returning at all shows it was not opened.
            #expect(spool.read(claimed: "p", maxBytes: 100) == .rejected(.fifo))
        }
    }

    @Test("a unix socket is rejected")
    func socketFile() throws {
        try withSpool { spool in
            #expect(makeSocket(spool.curPath + "/s"))
            #expect(spool.read(claimed: "s", maxBytes: 100) == .rejected(.socket))
        }
    }

    @Test("a folder is rejected")
    func directory() throws {
        try withSpool { spool in
            mkdir(spool.curPath + "/d", 0o700)
            #expect(spool.read(claimed: "d", maxBytes: 100) == .rejected(.directory))
        }
    }

    @Test("a character device is rejected")
    func device() throws {
        try withSpool { spool in
            // Like /dev/null (1, 3). Needs CAP_MKNOD; skipped without it.
            let path = spool.curPath + "/null"
            guard mknod(path, S_IFCHR | 0o600, dev_t((1 << 8) | 3)) == 0 else { return }
            #expect(spool.read(claimed: "null", maxBytes: 100) == .rejected(.device))
        }
    }

    @Test("an oversize file is rejected without reading")
    func oversize() throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/big", [UInt8](repeating: 0x61, count: 101))
            // Unreadable mode would make a read fail; root bypasses modes, so
            // show "without reading" with a file whose content is not UTF-8:
            // oversize wins over not_utf8.
            writeFile(spool.curPath + "/bigbad", [UInt8](repeating: 0xFF, count: 101))
            #expect(spool.read(claimed: "big", maxBytes: 100) == .rejected(.oversize))
            #expect(spool.read(claimed: "bigbad", maxBytes: 100) == .rejected(.oversize))
            #expect(spool.read(claimed: "big", maxBytes: 0) == .rejected(.oversize))
        }
    }

    @Test("invalid UTF-8 is rejected", arguments: [
        [0xC3, 0x28],                   // bad continuation
        [0xC0, 0xAF],                   // overlong "/"
        [0xE0, 0x80, 0xAF],             // overlong, three bytes
        [0xF0, 0x80, 0x80, 0xAF],       // overlong, four bytes
        [0xED, 0xA0, 0x80],             // surrogate U+D800
        [0xED, 0xBF, 0xBF],             // surrogate U+DFFF
        [0xF4, 0x90, 0x80, 0x80],       // above U+10FFFF
        [0xFF],                         // lone 0xFF
        [0x61, 0xE2, 0x82],             // truncated at the end
        [0x80],                         // stray continuation
    ] as [[UInt8]])
    func notUTF8(bytes: [UInt8]) throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/f", Array("{\"ok\":1}\n".utf8) + bytes)
            #expect(spool.read(claimed: "f", maxBytes: 1000) == .rejected(.notUTF8))
        }
    }

    @Test("a file swapped for a symlink between lstat and open is refused")
    func swapped() throws {
        try withSpool { spool in
            let path = spool.curPath + "/f"
            writeFile(path, "abc")
            writeFile(spool.root + "/secret", "secret")
            let result = spool.read(claimed: "f", maxBytes: 100) {
                unlink(path)
                symlink(spool.root + "/secret", path)
            }
            #expect(result == .rejected(.changed))
        }
    }

    @Test("a file replaced by another regular file between lstat and open is refused")
    func replaced() throws {
        try withSpool { spool in
            let path = spool.curPath + "/f"
            writeFile(path, "abc")
            writeFile(spool.root + "/other", "xyz")
            let result = spool.read(claimed: "f", maxBytes: 100) {
                rename(spool.root + "/other", path)
            }
            #expect(result == .rejected(.changed))
        }
    }

    @Test("a file that grows past the limit after lstat is oversize")
    func grows() throws {
        try withSpool { spool in
            let path = spool.curPath + "/f"
            writeFile(path, "abc")
            let result = spool.read(claimed: "f", maxBytes: 5) {
                let fd = open(path, O_WRONLY | O_APPEND)
                _ = write(fd, "defgh", 5)
                close(fd)
            }
            #expect(result == .rejected(.oversize))
        }
    }

    @Test("a vanished file or a bad name is unreadable")
    func unreadable() throws {
        try withSpool { spool in
            #expect(spool.read(claimed: "gone", maxBytes: 100) == .rejected(.unreadable))
            #expect(spool.read(claimed: "../tmp", maxBytes: 100) == .rejected(.unreadable))
        }
    }

    @Test("reason codes are stable")
    func codes() {
        #expect(FileRejectReason.allCases.map(\.rawValue)
            == ["symlink", "fifo", "socket", "device", "directory", "oversize", "not_utf8", "utf16", "changed", "unreadable"])
    }

    @Test("UTF-16 is refused whole before any line is read: a BOM, or a NUL in the first two bytes", arguments: [
        [0xFF, 0xFE, 0x7B, 0x00],       // UTF-16LE with BOM
        [0xFE, 0xFF, 0x00, 0x7B],       // UTF-16BE with BOM
        [0x7B, 0x00, 0x22, 0x00],       // UTF-16LE without BOM: valid UTF-8, NUL-interleaved
        [0x00, 0x7B, 0x00, 0x22],       // UTF-16BE without BOM
        [0x0A, 0x00, 0x7B, 0x00],       // a blank first line in UTF-16LE
        [0x00],
    ] as [[UInt8]])
    func utf16(bytes: [UInt8]) throws {
        try withSpool { spool in
            writeFile(spool.curPath + "/f", bytes + Array("\"v\":1}\n".utf8))
            #expect(spool.read(claimed: "f", maxBytes: 1000) == .rejected(.utf16))
        }
    }

    @Test("a NUL later in a UTF-8 file is left to the line check (nul_byte), so the file's good lines count")
    func laterNUL() throws {
        try withSpool { spool in
            let bytes = Array("{\"v\":1}\n{\"a\":\"0\u{0}6\"}\n".utf8)
            writeFile(spool.curPath + "/f", bytes)
            #expect(spool.read(claimed: "f", maxBytes: 1000) == .content(bytes, digest: Array(SHA256.hash(data: bytes))))
        }
    }
}
