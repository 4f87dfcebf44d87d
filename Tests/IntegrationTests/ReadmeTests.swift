import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The README's examples, run as written against the built binary: the
/// outputs it shows are the outputs the binary gives, and the commands it
/// tells a newcomer to type work. (The systemd commands are run as written
/// inside a booted container by scripts/boot-check, item 8.)
extension Integration {
    @Suite struct ReadmeTests {
        static let root = Binary.repositoryRoot

        /// The fenced blocks of README.md (or another document) that follow
        /// an opening fence with the given info string ("console", "sh",
        /// "json"), in order.
        static func blocks(_ info: String, in document: String = "README.md") throws -> [String] {
            let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
            var found: [String] = []
            var current: [Substring]? = nil
            var wanted = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("```") {
                    if current != nil {
                        if wanted { found.append(current!.joined(separator: "\n")) }
                        current = nil
                    } else {
                        current = []
                        wanted = line.dropFirst(3) == info
                    }
                } else if current != nil {
                    current!.append(line)
                }
            }
            return found
        }

        /// The console block whose first line is `$ <command>`: its output lines.
        static func consoleOutput(of command: String) throws -> [String] {
            let block = try #require(try blocks("console").first { $0.hasPrefix("$ " + command + "\n") },
                                     "no console block in README.md starts with `$ \(command)`")
            return block.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init)
        }

        /// The annotated example config made live as the README says (its
        /// example.invalid addresses replaced), with one or more edits applied.
        static func exampleConfig(_ edits: [(String, String)] = []) throws -> String {
            var text = try String(contentsOf: root.appendingPathComponent("Config/vertrouwd.toml"), encoding: .utf8)
                .replacingOccurrences(of: "@example.invalid\"", with: "@voorbeeldcollege.nl\"")
            for (old, new) in edits {
                let range = try #require(text.range(of: old), "Config/vertrouwd.toml no longer has \(old)")
                text.replaceSubrange(range, with: new)
            }
            return text
        }

        /// The dev config with its `.run/` paths moved into `dir`, and its spool.
        static func devConfig(in dir: TemporaryDirectory) throws -> String {
            let text = try String(contentsOf: root.appendingPathComponent("Config/vertrouwd.dev.toml"), encoding: .utf8)
                .replacingOccurrences(of: "\".run/", with: "\"\(dir.url.path)/")
            let path = dir.url.path + "/dev.toml"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o600)
            // The README's commands run beside `make run`, whose daemon has
            // made the spool; submit only writes into it.
            for sub in ["tmp", "new"] {
                try FileManager.default.createDirectory(atPath: dir.url.path + "/spool/" + sub, withIntermediateDirectories: true)
            }
            return path
        }

        @Test func theCheckConfigExampleIsWhatTheBinaryPrints() throws {
            let expected = try Self.consoleOutput(of: "vertrouwd check-config --config /etc/vertrouwd/vertrouwd.toml")
            let dir = try TemporaryDirectory()
            let path = dir.url.path + "/vertrouwd.toml"
            try Self.exampleConfig().write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o640)
            let r = try Binary.run(["check-config", "--config", path])
            #expect(r.status == 0, "\(r.stderr)")
            let actual = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // The README shortens the rule list with "  …": the lines before
            // it are the first lines printed, the line after it the last.
            let cut = try #require(expected.firstIndex(of: "  …"), "the README's example lost its \"  …\"")
            #expect(Array(actual.prefix(cut)) == Array(expected.prefix(cut)))
            let tail = expected[(cut + 1)...].filter { !$0.isEmpty }
            #expect(Array(actual.filter { !$0.isEmpty }.suffix(tail.count)) == Array(tail))
        }

        @Test func theBrokenConfigExampleIsWhatTheBinaryPrints() throws {
            let expected = try Self.consoleOutput(of: "vertrouwd check-config --config bad.toml")
            let dir = try TemporaryDirectory()
            // The README's two mistakes, made in the annotated example.
            let bad = try Self.exampleConfig([("min_group_size = 5", "min_group_sise = 5"),
                                             ("window = \"day\"", "window = \"hour\"")])
            try bad.write(toFile: dir.url.path + "/bad.toml", atomically: true, encoding: .utf8)
            chmod(dir.url.path + "/bad.toml", 0o640)
            let r = try Binary.run(["check-config", "--config", "bad.toml"], in: dir.url)
            #expect(r.status == 1)
            let printed = (r.stdout + r.stderr).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(printed.filter { !$0.isEmpty } == expected.filter { !$0.isEmpty },
                    "README.md shows another output than check-config gives:\n\(r.stdout + r.stderr)")
        }

        @Test func theReadmesSignalIsAccepted() throws {
            let block = try #require(try Self.blocks("json").first { $0.contains("\"v\":1") })
            let dir = try TemporaryDirectory()
            let config = try Self.devConfig(in: dir)
            // The example's timestamp is fixed; the daemon takes 7 days back at most.
            let now = ISO8601DateFormatter().string(from: Date())
            let line = block.replacingOccurrences(
                of: #""ts":"[^"]*""#, with: "\"ts\":\"\(now)\"", options: .regularExpression)
            let file = dir.url.path + "/signal.jsonl"
            try (line + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let r = try Binary.run(["submit", "--config", config, file])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path + "/spool/new").count == 1)
        }

        @Test func theDemoSubmitCommandWorksAsWritten() throws {
            // The newcomer's demo beside `make run` is developer material.
            let command = try #require(try Self.blocks("sh", in: "docs/development.md").first { $0.hasPrefix("printf ") && $0.contains(" submit ") },
                                       "docs/development.md's demo submit command is gone")
            let dir = try TemporaryDirectory()
            let config = try Self.devConfig(in: dir)
            // Only the two paths change: this test's config and binary.
            let script = command
                .replacingOccurrences(of: "Config/vertrouwd.dev.toml", with: config)
                .replacingOccurrences(of: ".build/debug/vertrouwd", with: Binary.url.path)
            #expect(script != command)
            let r = try DocumentationTests.tool(["bash", "-o", "pipefail", "-c", script])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            let new = try FileManager.default.contentsOfDirectory(atPath: dir.url.path + "/spool/new")
            #expect(new.count == 1)
        }

        @Test func theReadmeReferencesNothingOutsideTheRepository() throws {
            let text = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
            // Links to files of the repository exist.
            let links = text.matches(of: /\]\(([^)#:]+)\)/).map { String($0.1) }
            #expect(!links.isEmpty)
            for link in links {
                #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(link).path),
                        "README.md links to \(link), which is not in the repository")
            }
        }

        /// The README's section under a "## " heading, up to the next one.
        static func section(_ heading: String) throws -> String {
            let text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
            let start = try #require(text.range(of: "\n## \(heading)\n"), "README.md has no section \(heading)")
            let end = text.range(of: "\n## ", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
            return String(text[start.upperBound..<end])
        }

        /// Upgrading backs up before the restart that migrates, and the way
        /// back is the restore of that backup.
        @Test func theUpgradeBacksUpBeforeTheRestartThatMigrates() throws {
            let upgrading = try Self.section("Upgrading")
            let backup = try #require(upgrading.range(of: "vertrouwd backup "))
            let install = try #require(upgrading.range(of: "make install"))
            let restart = try #require(upgrading.range(of: "systemctl restart vertrouwd"))
            let migrates = try #require(upgrading.range(of: "migrates the state"))
            #expect(backup.lowerBound < install.lowerBound && install.lowerBound < restart.lowerBound)
            #expect(backup.lowerBound < migrates.lowerBound)
            let restore = try Self.section("Backup and restore")
            for step in ["systemctl stop vertrouwd", "install -o vertrouwd -g vertrouwd -m 0600 ", "systemctl start vertrouwd"] {
                #expect(restore.contains(step), "the restore lacks \(step)")
            }
        }

        /// Uninstalling names every place vertrouwd keeps something: the
        /// paths of the units, tmpfiles.d and sysusers.d entries.
        @Test func uninstallingDeletesEveryPlaceOfData() throws {
            let uninstall = try Self.section("Uninstalling and deleting all data")
            for command in ["systemctl disable --now vertrouwd.service vertrouwd-submit.socket", "make uninstall",
                            "rm -rf /var/lib/vertrouwd", "rm -rf /var/spool/vertrouwd", "rm -rf /etc/vertrouwd",
                            "rm -rf /run/vertrouwd", "userdel vertrouwd", "groupdel vertrouwd-submit"] {
                #expect(uninstall.contains(command), "README's uninstall lacks \(command)")
            }
            // Every folder tmpfiles.d creates, and the unit's state directory, is deleted.
            let tmpfiles = try String(contentsOf: Self.root.appendingPathComponent("systemd/vertrouwd.tmpfiles"), encoding: .utf8)
            let removed = uninstall.matches(of: /rm -rf (\/[^ \n]+)/).map { String($0.1) }
            for line in tmpfiles.split(separator: "\n") where line.hasPrefix("d ") {
                let path = String(line.split(separator: " ")[1])
                #expect(removed.contains { path == $0 || path.hasPrefix($0 + "/") },
                        "\(path) from tmpfiles.d is not deleted by the README's uninstall")
            }
            let unit = try String(contentsOf: Self.root.appendingPathComponent("systemd/vertrouwd.service.in"), encoding: .utf8)
            #expect(unit.contains("StateDirectory=vertrouwd\n") && uninstall.contains("/var/lib/vertrouwd"))
            #expect(unit.contains("RuntimeDirectory=vertrouwd\n") && uninstall.contains("/run/vertrouwd"))
        }
    }
}
