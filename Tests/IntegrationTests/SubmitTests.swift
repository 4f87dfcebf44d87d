import Foundation
import Testing

extension Integration {
    /// `vertrouwd submit`, the reference producer, against a running daemon.
    @Suite struct SubmitTests {
        @Test func validSignalsAreDroppedAndCounted() throws {
            let h = try DaemonHarness()
            try h.start()
            let input = try h.dir.write("in.jsonl", (0..<6).map { _ in Lines.signal() }.joined(separator: "\n") + "\n")
            let result = try Binary.run(["submit", "--config", h.configPath, input.path])
            #expect(result.status == 0, "\(result.stderr)\n\(h.log)")
            #expect(result.stdout.isEmpty && result.stderr.isEmpty)
            try h.waitUntilDrained()
            try waitUntil("the signals are counted", timeout: 10) { (try? h.total()) == 6 }
            #expect(h.entries("tmp").isEmpty, "nothing is left behind in tmp/")
            #expect(h.stop() == 0)
        }

        @Test func anInvalidLineRejectsTheWholeInputAndNamesNoValue() throws {
            let h = try DaemonHarness()
            try h.prepareSpool()
            let text = [Lines.signal(), Lines.signal([("site", "\"anna.de.vries@example.nl\"")]), Lines.signal([("source", "\"onbekend\"")])]
                .joined(separator: "\n") + "\n"
            let input = try h.dir.write("in.jsonl", text)
            let result = try Binary.run(["submit", "--config", h.configPath, input.path])
            #expect(result.status == 1)
            #expect(result.stderr == "line 2: pii_email (field site)\nline 3: unknown_source (field source)\n2 invalid lines; nothing submitted\n")
            #expect(!result.stderr.contains("anna") && !result.stderr.contains("onbekend"))
            #expect(h.entries("new").isEmpty && h.entries("tmp").isEmpty, "nothing was written")
        }

        @Test func standardInputWorksToo() throws {
            let h = try DaemonHarness()
            try h.prepareSpool()
            let p = Process()
            p.executableURL = Binary.url
            p.arguments = ["submit", "--config", h.configPath]
            let input = Pipe()
            p.standardInput = input
            try p.run()
            input.fileHandleForWriting.write(Data((Lines.signal() + "\n").utf8))
            try input.fileHandleForWriting.close()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            #expect(h.entries("new").count == 1)
        }

        @Test func inputLargerThanASpoolFileIsRefused() throws {
            let h = try DaemonHarness(spool: "max_file_bytes = 4096")
            try h.prepareSpool()
            let input = try h.dir.write("in.jsonl", (0..<40).map { _ in Lines.signal() }.joined(separator: "\n"))
            let result = try Binary.run(["submit", "--config", h.configPath, input.path])
            #expect(result.status == 2)
            #expect(result.stderr.contains("larger than spool.max_file_bytes (4096 bytes)"))
        }
    }
}
