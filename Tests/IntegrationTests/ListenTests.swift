import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Connects to a Unix stream socket; -1 when nobody listens.
func connectUnix(_ path: String) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &addr.sun_path) { buf in for (i, b) in path.utf8.enumerated() { buf[i] = b } }
    let ok = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    if ok != 0 { close(fd); return -1 }
    return fd
}

/// Reads one line (without its newline), or nil at end of stream.
func readLine(_ fd: Int32) -> String? {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while read(fd, &byte, 1) == 1 {
        if byte == 0x0A { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(byte)
    }
    return nil
}

extension Integration {
    @Suite struct ListenTests {
        @Test func printsEachMessageAndAcknowledgesIt() throws {
            let dir = try TemporaryDirectory()
            let path = dir.url.path + "/alerts.sock"
            let p = Process()
            p.executableURL = Binary.url
            p.arguments = ["listen", "--socket", path]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = Pipe()
            try p.run()
            defer { if p.isRunning { kill(p.processIdentifier, SIGTERM); p.waitUntilExit() } }
            try waitUntil("listen is up", timeout: 10) { FileManager.default.fileExists(atPath: path) }
            var st = stat()
            #expect(lstat(path, &st) == 0 && st.st_mode & 0o777 == 0o660)

            let fd = connectUnix(path)
            #expect(fd >= 0)
            let alert = #"{"type":"alert","version":1,"id":"abc123","rule":"sextortion-acuut","text":"Afpersing — Hoofdgebouw\nten minste 5 signalen"}"#
            _ = Array((alert + "\nnot json\n").utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            #expect(readLine(fd) == #"{"ack":"abc123"}"#)
            let summary = #"{"type":"summary","version":1,"id":"def456","week":"2026-W48","text":"Weekoverzicht"}"#
            _ = Array((summary + "\n").utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            #expect(readLine(fd) == #"{"ack":"def456"}"#, "the junk line got no ack; the next message did")
            close(fd)

            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(printed == "──── alert sextortion-acuut ────\nAfpersing — Hoofdgebouw\nten minste 5 signalen\n──── summary 2026-W48 ────\nWeekoverzicht\n")
        }

        @Test func refusesToReplaceAFileThatIsNotASocket() throws {
            let dir = try TemporaryDirectory()
            let file = try dir.write("precious.txt", "keep me")
            let result = try Binary.run(["listen", "--socket", file.path])
            #expect(result.status == 2)
            #expect(result.stderr.contains("exists and is not a socket"))
            #expect((try? String(contentsOf: file, encoding: .utf8)) == "keep me")
        }
    }
}
