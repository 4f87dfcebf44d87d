import Logging
import Testing
import VertrouwdSystemd

@Suite struct JournalFieldsTests {
    @Test func fieldsOfARecordWithMetadata() {
        let metadata: Logger.Metadata = [
            "event": "spool.rejected",
            "signal-kind": "grooming",
            "note": "first line\nsecond line",
            "count": .stringConvertible(3),
            "_private": "p",
            "9lives": "cat",
            "é": "dropped",
        ]
        let fields = JournalFields.make(level: .warning, message: "quarantined a file", metadata: metadata,
                                        file: "VertrouwdSpool/SpoolRead.swift", function: "read(_:)", line: 42)
        let expected: [(String, String)] = [
            ("MESSAGE", "quarantined a file"),
            ("PRIORITY", "4"),
            ("SYSLOG_IDENTIFIER", "vertrouwd"),
            ("VERTROUWD_EVENT", "spool.rejected"),
            ("CODE_FILE", "VertrouwdSpool/SpoolRead.swift"),
            ("CODE_LINE", "42"),
            ("CODE_FUNC", "read(_:)"),
            ("VERTROUWD_9LIVES", "cat"),
            ("VERTROUWD_COUNT", "3"),
            ("VERTROUWD_NOTE", "first line\nsecond line"),
            ("VERTROUWD_PRIVATE", "p"),
            ("VERTROUWD_SIGNAL_KIND", "grooming"),
        ]
        #expect(fields.map(\.name) == expected.map(\.0))
        #expect(fields.map(\.value) == expected.map(\.1))
    }

    @Test func withoutAnEventThereIsNoEventField() {
        let fields = JournalFields.make(level: .info, message: "m", metadata: [:], file: "f", function: "g", line: 1)
        #expect(fields.map(\.name) == ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC"])
    }

    @Test(arguments: [
        (Logger.Level.trace, "7"), (.debug, "7"), (.info, "6"), (.notice, "5"),
        (.warning, "4"), (.error, "3"), (.critical, "2"),
    ])
    func priorityPerLevel(level: Logger.Level, priority: String) {
        let fields = JournalFields.make(level: level, message: "m", metadata: [:], file: "f", function: "g", line: 1)
        #expect(fields.first { $0.name == "PRIORITY" }?.value == priority)
    }

    @Test func keysAreReducedToJournalFieldNames() {
        #expect(JournalFields.fieldName(forKey: "spool.path") == "VERTROUWD_SPOOL_PATH")
        #expect(JournalFields.fieldName(forKey: "PRIORITY") == "VERTROUWD_PRIORITY")
        #expect(JournalFields.fieldName(forKey: "__") == nil)
        #expect(JournalFields.fieldName(forKey: "") == nil)
        #expect(JournalFields.fieldName(forKey: String(repeating: "a", count: 100))?.count == 64)
    }

    @Test func noMetadataKeyCanSetAWellKnownOrTrustedField() {
        let metadata: Logger.Metadata = ["MESSAGE": "forged", "_PID": "1", "priority": "0"]
        let fields = JournalFields.make(level: .info, message: "m", metadata: metadata, file: "f", function: "g", line: 1)
        #expect(fields.filter { $0.name == "MESSAGE" }.map(\.value) == ["m"])
        #expect(fields.filter { $0.name == "PRIORITY" }.map(\.value) == ["6"])
        #expect(!fields.contains { $0.name.hasPrefix("_") })
    }
}
