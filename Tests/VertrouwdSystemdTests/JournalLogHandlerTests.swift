import Foundation
import Logging
import Testing
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

/// The handler against a stand-in for journald: a datagram socket at
/// /run/systemd/journal/socket, made only when no journald owns that path.
@Suite(.serialized) struct JournalLogHandlerTests {
    static let journalSocket = "/run/systemd/journal/socket"

    /// Decodes the native journal protocol: "NAME=value\n", or for values
    /// with a newline "NAME\n" + 64-bit little-endian length + value + "\n".
    static func decode(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        var index = 0
        while index < bytes.count {
            guard let end = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\n") }) else { break }
            let name = String(decoding: bytes[index..<end], as: UTF8.self)
            if bytes[end] == UInt8(ascii: "=") {
                let stop = bytes[(end + 1)...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                fields.append((name, String(decoding: bytes[(end + 1)..<stop], as: UTF8.self)))
                index = stop + 1
            } else {
                var length = 0
                for k in 0..<8 { length |= Int(bytes[end + 1 + k]) << (8 * k) }
                let start = end + 9
                fields.append((name, String(decoding: bytes[start..<(start + length)], as: UTF8.self)))
                index = start + length + 1
            }
        }
        return fields
    }

    @Test func aRecordArrivesWithItsFieldsAndNewlinesIntact() throws {
        guard access(Self.journalSocket, F_OK) != 0 else {
            print("skipped: a journald owns \(Self.journalSocket); not replacing it")
            return
        }
        guard getuid() == 0 else {
            print("skipped: needs root to create \(Self.journalSocket)")
            return
        }
        let createdFolder = access("/run/systemd/journal", F_OK) != 0
        try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(bindUnix(fd, path: Self.journalSocket) == 0)
        defer {
            close(fd)
            unlink(Self.journalSocket)
            if createdFolder { rmdir("/run/systemd/journal") }
        }

        var handler = JournalLogHandler(label: "test")
        handler.logLevel = .debug
        handler[metadataKey: "site"] = "main"
        let logger = Logger(label: "test", factory: { _ in handler })
        logger.error("store is read-only\nstill running", metadata: ["event": "store.readonly", "path": "/var/lib/vertrouwd"])

        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        #expect(n > 0)
        let fields = Self.decode(Array(buffer.prefix(max(n, 0))))
        let named = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(named["MESSAGE"] == "store is read-only\nstill running")
        #expect(named["PRIORITY"] == "3")
        #expect(named["SYSLOG_IDENTIFIER"] == "vertrouwd")
        #expect(named["VERTROUWD_EVENT"] == "store.readonly")
        #expect(named["VERTROUWD_PATH"] == "/var/lib/vertrouwd")
        #expect(named["VERTROUWD_SITE"] == "main")
        #expect(named["CODE_FILE"]?.hasSuffix("JournalLogHandlerTests.swift") == true)
        #expect(named["CODE_FUNC"] == "aRecordArrivesWithItsFieldsAndNewlinesIntact()")
        #expect(Int(named["CODE_LINE"] ?? "") != nil)
    }

}
