import Testing
@testable import VertrouwdCore

let fileTaxonomy = Taxonomy(
    categories: Vocabulary(["grooming", "sextortion.payment"]), sites: Vocabulary(["hoofdgebouw"]),
    cohorts: Vocabulary(grouped: [("klas-4", "bovenbouw")]), channels: Vocabulary(grouped: [("instagram", "social")]))
let fileValidator = SignalValidator(taxonomy: fileTaxonomy, sources: ["webfilter"], ingest: IngestSettings())
let fileNow: Int64 = 1_795_944_000 // 2026-11-29T09:20:00Z

func line(_ id: String, _ extra: String = "") -> String {
    #"{"v":1,"id":"\#(id)","ts":"2026-11-29T10:15:00+01:00","source":"webfilter","category":"grooming"\#(extra)}"#
}

@Suite struct SignalFileTests {
    @Test func goodLinesCountAndBadLinesAreKeptWithTheirNumbers() {
        let text = [line("sig-00000001"), "", "not json", line("sig-00000002", #","count":3"#), "   ", line("sig-00000003", #","site":"elders""#)]
            .joined(separator: "\n") + "\n"
        let file = SignalFile(bytes: Array(text.utf8), validator: fileValidator, now: fileNow)
        #expect(file.signals.map(\.id) == ["sig-00000001", "sig-00000002"])
        #expect(file.signalCount == 4)
        #expect(file.rejected.map(\.number) == [3, 6])
        #expect(file.rejected.map(\.rejection.reason) == [.notAnObject, .unknownSite])
        // Only where the line is: the quarantine hashes it, nothing copies it.
        let bytes = Array(text.utf8)
        #expect(Array(bytes[file.rejected[0].span]) == Array("not json".utf8))
    }

    /// The line count that sizes a file's signals once (`SignalFile.init`)
    /// counts a last line without its newline, and blank lines.
    @Test func linesAreCountedAsTheFileIsSplit() {
        let cases: [(String, Int)] = [("", 0), ("a", 1), ("a\n", 1), ("a\nb", 2), ("\n\n", 2), ("a\r\nb\r\n", 2), ("\nb", 2)]
        for (text, lines) in cases {
            #expect(Array(text.utf8).withUnsafeBytes { SignalFile.lineCount($0) } == lines, "\(text.debugDescription)")
        }
    }

    @Test func crlfAndAMissingFinalNewlineAreFine() {
        let text = line("sig-00000001") + "\r\n" + line("sig-00000002")
        let file = SignalFile(bytes: Array(text.utf8), validator: fileValidator, now: fileNow)
        #expect(file.signals.count == 2)
        #expect(file.rejected.isEmpty)
    }

    @Test func piiLinesAreRejectedAndTheirSpanLeavesOutTheLineEnding() {
        let text = line("sig-00000001", #","note":"mail jan@example.nl""#) + "\r\n"
        let file = SignalFile(bytes: Array(text.utf8), validator: fileValidator, now: fileNow)
        #expect(file.signals.isEmpty)
        #expect(file.rejected.count == 1)
        #expect(file.rejected[0].rejection.isPII)
        #expect(file.rejected[0].span == 0..<(text.utf8.count - 2))
    }

    @Test func emptyAndBlankFilesHoldNothing() {
        for text in ["", "\n", "\n\n  \r\n\t\n"] {
            let file = SignalFile(bytes: Array(text.utf8), validator: fileValidator, now: fileNow)
            #expect(file.signals.isEmpty && file.rejected.isEmpty)
        }
    }
}
