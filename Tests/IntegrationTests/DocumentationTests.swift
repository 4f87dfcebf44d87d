import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The man pages and the producer guide's examples, checked against the
/// code: every config key is documented, every command is documented, and
/// the three producer examples hand a real daemon signals it counts.
extension Integration {
    @Suite struct DocumentationTests {
        static let root = Binary.repositoryRoot

        static func read(_ path: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }

        /// A man page's source with the roff escapes that can sit inside a
        /// name taken out: `\-` → `-`, `\(dq` → `"`, font changes removed.
        static func manText(_ path: String) throws -> String {
            var text = try read(path)
            text = text.replacingOccurrences(of: "\\-", with: "-")
            text = text.replacingOccurrences(of: "\\(dq", with: "\"")
            for font in ["\\fB", "\\fI", "\\fR", "\\fP", "\\c"] { text = text.replacingOccurrences(of: font, with: "") }
            return text
        }

        /// The sections and their keys of the annotated example config,
        /// which has every key. Tables whose keys are the school's own
        /// vocabulary (cohorts, channels, labels) contribute their name only.
        static func configKeys() throws -> (sections: [String], keys: [(section: String, key: String)]) {
            var sections: [String] = []
            var keys: [(String, String)] = []
            var current = ""
            for raw in try read("Config/vertrouwd.toml").split(separator: "\n", omittingEmptySubsequences: false) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("[") {
                    current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                    if !sections.contains(current) { sections.append(current) }
                    continue
                }
                let vocabulary = ["taxonomy.cohorts", "taxonomy.channels"].contains(current) || current.hasPrefix("taxonomy.labels.")
                guard !vocabulary, let eq = line.firstIndex(of: "="), let first = line.first, first.isLetter || first == "_" else { continue }
                let key = line[..<eq].trimmingCharacters(in: .whitespaces)
                guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
                keys.append((current, key))
            }
            return (sections, keys)
        }

        @Test func everyConfigSectionAndKeyIsInTheConfigManPage() throws {
            let page = try Self.manText("man/vertrouwd.toml.5")
            let (sections, keys) = try Self.configKeys()
            #expect(sections.count >= 15, "sections parsed: \(sections)")
            #expect(keys.count >= 50, "keys parsed: \(keys.count)")
            for section in sections {
                #expect(page.contains("[\(section)]"), "[\(section)] is not in vertrouwd.toml(5)")
            }
            // Each key is documented as a .TP tag ("key = default" or "key
            // (required)") under its section's .SS heading.
            let chunks = page.components(separatedBy: "\n.SS ")
            for (section, key) in keys {
                let chunk = chunks.first { $0.prefix(while: { $0 != "\n" }).contains("[\(section)]") } ?? ""
                #expect(chunk.contains(".BR \(key) ") || chunk.contains(".B \(key)\n"),
                        "\(section).\(key) is not documented under [\(section)] in vertrouwd.toml(5)")
            }
            // The keys CONFIG.md lists are all in the example, and so in the page.
            for key in ["min_group_size", "dedup_horizon", "evaluate_every", "allowed_groups", "password_file", "baseline_weeks"] {
                #expect(keys.contains { $0.key == key })
            }
        }

        /// The subcommands `vertrouwd --help` lists.
        static func subcommands() throws -> [String] {
            let help = try Binary.run(["--help"])
            #expect(help.status == 0)
            var names: [String] = []
            var inList = false
            for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("SUBCOMMANDS:") { inList = true; continue }
                guard inList else { continue }
                if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
                // "  run       Run the daemon …" — a name at the list's indentation.
                if line.hasPrefix("  "), !line.hasPrefix("    "), let name = line.split(separator: " ").first {
                    names.append(String(name))
                }
            }
            return names.filter { $0 != "help" }
        }

        @Test func everyCommandAndOptionIsInTheDaemonManPage() throws {
            let page = try Self.manText("man/vertrouwd.8")
            let commands = try Self.subcommands()
            #expect(Set(commands).isSuperset(of: ["run", "check-config", "submit", "listen", "send-test", "summary", "replay"]),
                    "parsed from --help: \(commands)")
            for command in commands {
                #expect(page.contains(".B \(command)\n"), "\(command) is not documented in vertrouwd(8)")
                // Every long option of the command's own help.
                let help = try Binary.run([command, "--help"])
                #expect(help.status == 0)
                let options = Set(help.stdout.split(whereSeparator: { " \n,[]=<>".contains($0) })
                    .filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init))
                for option in options where !["--help", "--version"].contains(option) {
                    #expect(page.contains(option), "\(command) \(option) is not documented in vertrouwd(8)")
                }
            }
            for section in ["SIGNALS", "FILES", "EXIT STATUS", "ENVIRONMENT", "PRIVACY", "SEE ALSO"] {
                #expect(page.contains(".SH \(section)"))
            }
            for variable in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "JOURNAL_STREAM", "LISTEN_FDS"] {
                #expect(page.contains(variable))
            }
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/groff")))
        func theManPagesRenderWithoutWarnings() throws {
            for page in ["man/vertrouwd.8", "man/vertrouwd.toml.5"] {
                let r = try Self.tool(["groff", "-man", "-Tutf8", "-ww", Self.root.appendingPathComponent(page).path])
                #expect(r.status == 0 && r.stderr.isEmpty, "\(page): \(r.stderr)")
                #expect(r.stdout.contains("vertrouwd"))
            }
        }

        // MARK: - The producer examples against a real daemon

        /// Runs a program found on PATH.
        static func tool(_ arguments: [String], timeout: TimeInterval = 90) throws -> Binary.Result {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.currentDirectoryURL = root
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let pid = process.processIdentifier
            let killer = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            killer.cancel()
            return Binary.Result(status: process.terminationStatus,
                                 stdout: String(decoding: outData, as: UTF8.self),
                                 stderr: String(decoding: errData, as: UTF8.self))
        }

        static func example(_ name: String) -> String {
            root.appendingPathComponent("docs/examples/" + name).path
        }

        /// Waits until the daemon has counted `expected` signals, then stops it.
        static func expectCounted(_ h: DaemonHarness, _ expected: Int) throws {
            try h.waitUntilDrained()
            try waitUntil("\(expected) signals counted", timeout: 15) { (try? h.total()) == expected }
            #expect(try h.total() == expected)
            #expect(h.stop() == 0)
            #expect(h.entries("quarantine").isEmpty, "quarantined: \(h.entries("quarantine"))")
        }

        @Test func theShellExampleDropsASignalTheDaemonCounts() throws {
            let h = try DaemonHarness()
            try h.start()
            let r = try Self.tool(["sh", Self.example("submit-spool.sh"), h.spool, "source=webfilter", "category=sextortion.payment",
                                   "site=hoofdgebouw", "cohort=klas-4", "channel=instagram", "severity=high", "count=2"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(h.entries("tmp").isEmpty)
            try Self.expectCounted(h, 2)
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/env")))
        func thePythonExampleIsAnsweredOkAndCounted() throws {
            let dir = try TemporaryDirectory()
            let path = dir.url.path + "/submit.sock"
            let h = try DaemonHarness(extra: "[submit]\nsocket = \"\(path)\"\nallowed_groups = [\"root\"]\n")
            try h.start()
            try waitUntil("the submit socket exists", timeout: 10) { FileManager.default.fileExists(atPath: path) }
            let r = try Self.tool(["python3", Self.example("submit_socket.py"), path, "source=chatguard", "category=grooming",
                                   "cohort=klas-1", "channel=discord"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == "ok 1\n")
            // A refused signal is answered with its reason and exit status 1.
            let bad = try Self.tool(["python3", Self.example("submit_socket.py"), path, "source=onbekend", "category=grooming"])
            #expect(bad.status == 1)
            #expect(bad.stdout == "err 1 unknown_source\n")
            try Self.expectCounted(h, 1)
        }

        @Test func theSwiftExampleDropsASignalTheDaemonCounts() throws {
            let h = try DaemonHarness()
            try h.start()
            let arguments = [h.spool, "source=webfilter", "category=image.shared", "site=dependance", "channel=snapchat"]
            // Script mode first, as the guide shows it; where the interpreter
            // is unavailable, compiled, as a producer would ship it.
            var r = try Self.tool(["swift", Self.example("SubmitSpool.swift")] + arguments)
            if r.status != 0 {
                let dir = try TemporaryDirectory()
                let binary = dir.url.path + "/submit-spool"
                let build = try Self.tool(["swiftc", "-o", binary, Self.example("SubmitSpool.swift")])
                #expect(build.status == 0, "\(build.stderr)")
                r = try Self.tool([binary] + arguments)
            }
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("submitted "))
            try Self.expectCounted(h, 1)
        }
    }
}
