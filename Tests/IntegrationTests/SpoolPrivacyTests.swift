import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, findings 10–13, through the built binary.
extension Integration {
    @Suite struct SpoolPrivacyTests {
        /// The ids of the "file ID: accepted" and "file ID was counted
        /// before" lines of a log, in order.
        static func fileIDs(_ log: String) -> [String] {
            log.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "file ") else { return nil }
                let id = String(line[range.upperBound...].prefix(12))
                let rest = line[range.upperBound...].dropFirst(12)
                guard id.count == 12, id.allSatisfy(\.isHexDigit),
                      rest.hasPrefix(": accepted") || rest.hasPrefix(" was counted before") else { return nil }
                return id
            }
        }

        /// The plain SHA-256 of `text`, in hex, by coreutils' sha256sum.
        static func sha256(_ text: String) throws -> String {
            let dir = try TemporaryDirectory()
            let file = try dir.write("f", text)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            process.arguments = [file.path]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(String(decoding: data, as: UTF8.self).prefix(64))
        }

        @Test func logIDsAreKeyedPerInstallAndStableWithinOne() throws {
            // The same one-signal file, byte for byte, in two installs.
            let content = Lines.signal(id: "Tkeyedidsofonefile") + "\n"
            let plain = try Self.sha256(content)
            #expect(plain.count == 64)
            var ids: [String] = []
            for _ in 0..<2 {
                let h = try DaemonHarness()
                try h.start()
                try h.drop(content)
                try h.waitUntilDrained()
                try waitUntil("the file is logged", timeout: 10) { Self.fileIDs(h.log).count == 1 }
                #expect(h.stop() == 0)
                // The same install after a restart: the same bytes get the same id.
                try h.start()
                try h.drop(content)
                try h.waitUntilDrained()
                try waitUntil("the repeat is logged", timeout: 10) { Self.fileIDs(h.log).count == 2 }
                #expect(h.stop() == 0)
                let logged = Self.fileIDs(h.log)
                #expect(logged[0] == logged[1], "stable within one install: \(logged)")
                #expect(h.log.contains("file \(logged[1]) was counted before"))
                ids.append(logged[0])
            }
            #expect(ids[0] != ids[1], "two installs give different ids for the same content: \(ids)")
            for id in ids {
                #expect(!plain.hasPrefix(id), "the id \(id) is the plain SHA-256 of the content")
            }
        }

        @Test func theQuarantineKeepsNoRejectedValueAndRefusesUTF16() throws {
            let h = try DaemonHarness()
            try h.start()
            let lines = [
                Lines.signal(),
                Lines.signal([("note", "\"jan-de-vries-4b\"")]),
                Lines.signal([("site", "\"jan-de-vries-4b\"")]),
                Lines.signal([("cohort", "\"fatima-el-amrani\"")]),
                Lines.signal([("channel", "\"06-12345678\"")]),
            ]
            try h.drop(lines.joined(separator: "\n") + "\n")
            // UTF-16 hides a phone number and a name from every PII detector.
            var utf16: [UInt8] = [0xFF, 0xFE]
            for unit in Lines.signal([("note", "\"0612345678 pieter-jansen\"")]).utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            try h.drop(utf16)
            try h.waitUntilDrained()
            try waitUntil("both files are counted", timeout: 10) {
                (try? h.total()) == 1 && (try? h.health())?.keys.contains { $0.hasPrefix("file_") } == true
            }
            #expect(h.stop() == 0)
            let health = try h.health()
            #expect(health["file_utf16"] == 1, "UTF-16 is refused whole, by its own reason: \(health)")
            #expect(health["unknown_field"] == 1 && health["unknown_site"] == 1 && health["unknown_cohort"] == 1, "\(health)")
            #expect(health["pii_phone"] == 1)

            let entries = h.entries("quarantine")
            #expect(entries.count == 2 && entries.allSatisfy { $0.hasSuffix(".reason") }, "records only: \(entries)")
            let forbidden = ["jan-", "vries", "de-v", "fatima", "amrani", "pieter", "jansen", "0612345678", "12345678"]
            for entry in entries {
                let data = try Data(contentsOf: URL(fileURLWithPath: h.spool + "/quarantine/" + entry))
                for value in forbidden {
                    #expect(data.range(of: Data(value.utf8)) == nil, "\(value) kept in quarantine/\(entry)")
                    var wide = Data()
                    for unit in value.utf16 { wide += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
                    #expect(data.range(of: wide) == nil, "\(value) (UTF-16) kept in quarantine/\(entry)")
                }
            }
            let records = try entries.map { try String(contentsOfFile: h.spool + "/quarantine/" + $0, encoding: .utf8) }.joined()
            #expect(records.contains("reason: utf16\ncontent: removed (hash "), "\(records)")
            #expect(records.contains("line 2: unknown_field hash "), "\(records)")
            #expect(records.contains("line 3: unknown_site site hash "), "\(records)")
        }

        @Test func textInterleavedWithEscapedNULsIsRefusedAsSuchBeforeAnyFieldIsUsed() throws {
            let h = try DaemonHarness()
            let name = "j\\u0000a\\u0000n\\u0000-\\u0000d\\u0000e"
            let phone = "0612345678".map { "\($0)\\u0000" }.joined()
            let input = try h.dir.write("in.jsonl", [
                Lines.signal([("site", "\"\(name)\"")]), Lines.signal([("site", "\"\(phone)\"")]),
            ].joined(separator: "\n") + "\n")
            let result = try Binary.run(["submit", "--config", h.configPath, input.path])
            #expect(result.status == 1)
            #expect(result.stderr == "line 1: nul_byte (field site)\nline 2: pii_phone\n2 invalid lines; nothing submitted\n", "\(result.stderr)")
        }

        /// A config like `h`'s with another k.
        static func withK(_ h: DaemonHarness, _ k: Int, name: String) throws -> URL {
            try h.dir.write(name, try String(contentsOfFile: h.configPath, encoding: .utf8) + "\n[privacy]\nmin_group_size = \(k)\n")
        }

        @Test func replayAndThePreviewNeverGoBelowTheLiveK() throws {
            let h = try DaemonHarness()
            try h.start()
            #expect(h.stop() == 0)
            let lower = try Self.withK(h, 3, name: "lower.toml")
            let higher = try Self.withK(h, 7, name: "higher.toml")

            func refused(_ arguments: [String]) throws {
                let r = try Binary.run(arguments)
                #expect(r.status == 1, "\(arguments): \(r.stderr)")
                let line = r.stderr.split(separator: "\n").first { $0.contains("never uses a smaller k") }.map(String.init) ?? ""
                #expect(line.components(separatedBy: "privacy.min_group_size").count == 3, "names both settings: \(r.stderr)")
                let digits = line.filter(\.isNumber)
                #expect(digits.isEmpty, "names the settings, not their values: \(line)")
            }
            try refused(["replay", "--config", h.configPath, "--candidate", lower.path])
            try refused(["replay", "--config", lower.path, "--candidate", lower.path, "--live-config", h.configPath])
            try refused(["summary", "--config", lower.path, "--live-config", h.configPath, "--week", "2020-W10"])

            let same = try Binary.run(["replay", "--config", h.configPath, "--candidate", higher.path])
            #expect(same.status == 0, "a larger k is fine: \(same.stderr)")
            let preview = try Binary.run(["summary", "--config", higher.path, "--live-config", h.configPath, "--week", "2020-W10"])
            #expect(preview.status == 0, "\(preview.stderr)")
            // A live config that does not exist: --config is the live one.
            let alone = try Binary.run(["summary", "--config", lower.path, "--live-config", h.root + "/absent.toml", "--week", "2020-W10"])
            #expect(alone.status == 0, "\(alone.stderr)")
        }

        /// The summary shows no rejects at all since health moved to IT's
        /// weekly health report (issue 15 §3, s7-health): what was
        /// rejected in the week changes nothing the trust contact reads.
        @Test func theSummaryDoesNotDependOnWhatWasRejected() throws {
            let h = try DaemonHarness()
            try h.start()
            #expect(h.stop() == 0)
            func summary(_ format: String) throws -> String {
                let r = try Binary.run(["summary", "--config", h.configPath, "--week", "2020-W10", "--format", format])
                #expect(r.status == 0, "\(r.stderr)")
                return r.stdout
            }
            let quiet = try ["text", "json"].map(summary)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(quiet[1].utf8)) as? [String: Any])
            #expect(object["health"] == nil, "no health field")
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { db in
                try db.execute(sql: "INSERT INTO health(day, source, reason, count) VALUES ('2020-03-04', '', 'pii_phone', 1)")
                try db.execute(sql: "INSERT INTO health(day, source, reason, count) VALUES ('2020-03-05', '', 'unknown_site', 7)")
            }
            #expect(try ["text", "json"].map(summary) == quiet, "rejects change nothing in the summary")
        }
    }
}
