import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A backlog is logged a batch at a time, not a line a file (journald's
/// rate limit), with the same privacy rules as the file lines.
extension Integration {
    @Suite struct BatchLogTests {
        @Test func aBacklogIsOneLinePerBatchAndEachFileAtDebug() throws {
            for level in ["info", "debug"] {
                let h = try DaemonHarness()
                try h.prepareSpool()
                for i in 0..<37 { try h.drop(Lines.signal() + "\n", name: "ok-\(i)") }
                try h.drop(Lines.signal() + "\n" + Lines.signal([("channel", "\"06-12345678\"")]) + "\n", name: "mixed")
                #expect(symlink("/etc/hostname", h.spool + "/new/SECRET-NAME-link") == 0)
                try h.start(arguments: ["--log-level", level])
                try h.waitUntilDrained()
                try waitUntil("the batch line", timeout: 10) { h.log.contains("batch of ") }
                #expect(h.stop() == 0)
                #expect(try h.total() == 38)
                let log = h.log
                #expect(log.contains("batch of 39 files: accepted 38, rejected <5 (pii_phone <5), files quarantined <5 (symlink <5)"), "\(log)")
                let fileLines = log.split(separator: "\n").filter { $0.contains("file ") && $0.contains(": accepted") }
                #expect(fileLines.count == (level == "debug" ? 38 : 0), "\(level): \(fileLines.count) file lines")
                #expect(!log.contains("06-12345678") && !log.contains("SECRET-NAME"))
            }
        }
    }
}
