import Foundation
import Testing

/// `vertrouwd check-config`, run as a built binary on real files.
extension Integration {
    @Suite struct CheckConfigTests {
        /// A shipped config, the example made live (its example.invalid
        /// addresses replaced, as a school must) unless `asShipped`.
        func shipped(_ name: String, asShipped: Bool = false) throws -> String {
            let text = try String(contentsOf: Binary.repositoryRoot.appendingPathComponent("Config/\(name)"), encoding: .utf8)
            return asShipped ? text : text.replacingOccurrences(of: "@example.invalid\"", with: "@voorbeeldcollege.nl\"")
        }

        /// The example as `make install` copies it to /etc: refused, with
        /// the place of each example address, by check-config and the daemon.
        @Test(arguments: [["check-config"], ["run"]])
        func theExampleAddressesAreRefused(command: [String]) throws {
            let dir = try TemporaryDirectory()
            let text = try shipped("vertrouwd.toml", asShipped: true)
            let file = try dir.write("vertrouwd.toml", text)
            let result = try Binary.run(command + ["--config", file.path])
            #expect(result.status == 1)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = lines.indices.filter { lines[$0].contains("@example.invalid\"") }.map { $0 + 1 }
            let reported = result.stderr.split(separator: "\n").filter { $0.hasPrefix(file.path + ":") && $0.contains(": error: ") }
                .map { Int($0.dropFirst(file.path.count + 1).prefix { $0 != ":" })! }
            #expect(reported == expected, "\(result.stderr)")
            #expect(result.stderr.contains("replace the example recipients with the school's own before going live"))
            #expect(result.stderr.hasSuffix("3 errors in \(file.path)\n"), "\(result.stderr)")
        }

        @Test(arguments: ["vertrouwd.toml", "vertrouwd.dev.toml"])
        func shippedConfigsAreOK(name: String) throws {
            let dir = try TemporaryDirectory()
            let file = try dir.write(name, try shipped(name))
            let result = try Binary.run(["check-config", "--config", file.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasSuffix("configuration OK\n"))
            #expect(result.stdout.contains("categories: 7 (grooming, sextortion.threat, sextortion.payment, image.request, image.shared, help_seeking, distress)"))
            #expect(result.stdout.contains("rules: 6"))
            #expect(result.stderr.isEmpty)
        }

        @Test func fourErrorsOnFourLinesAreAllReported() throws {
            let dir = try TemporaryDirectory()
            var text = try shipped("vertrouwd.toml")
            text = text.replacingOccurrences(of: "name = \"Voorbeeldcollege\"", with: "nmae = \"Voorbeeldcollege\"")
            text = text.replacingOccurrences(of: "min_group_size = 5", with: "min_group_size = 2")
            text = text.replacingOccurrences(of: "window = \"day\"\nmin_count = 5\ngroup_by = [\"site\", \"channel\"]",
                                             with: "window = \"hour\"\nmin_count = 5\ngroup_by = [\"site\", \"channel\"]")
            text = text.replacingOccurrences(of: "relay = \"127.0.0.1:25\"", with: "relay = \"127.0.0.1:25")
            let file = try dir.write("bad.toml", text)
            let result = try Binary.run(["check-config", "--config", file.path])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            func line(of needle: String) -> Int { lines.firstIndex { $0.contains(needle) }! + 1 }
            let expected = [line(of: "nmae ="), line(of: "min_group_size = 2"), line(of: "window = \"hour\""), line(of: "relay = \"127")]
            let reported = result.stderr.split(separator: "\n").filter { $0.hasPrefix(file.path + ":") && $0.contains(": error: ") }
                .map { Int($0.dropFirst(file.path.count + 1).prefix { $0 != ":" })! }
            #expect(reported == expected, "\(result.stderr)")
            #expect(result.stderr.hasSuffix("4 errors in \(file.path)\n"))
        }

        @Test func missingFileExitsTwo() throws {
            let result = try Binary.run(["check-config", "--config", "/nonexistent/vertrouwd.toml"])
            #expect(result.status == 2)
            #expect(result.stderr == "vertrouwd: cannot read /nonexistent/vertrouwd.toml: No such file or directory\n")
        }

        @Test func directoryExitsTwo() throws {
            let dir = try TemporaryDirectory()
            let result = try Binary.run(["check-config", "--config", dir.url.path])
            #expect(result.status == 2)
            #expect(result.stderr.contains("is a directory"))
        }

        @Test func configWritableByGroupIsRefused() throws {
            let dir = try TemporaryDirectory()
            let file = try dir.write("v.toml", try shipped("vertrouwd.toml"), mode: 0o664)
            let result = try Binary.run(["check-config", "--config", file.path])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("\(file.path): error: \(file.path) is writable by group or others (mode 0664)\n"))
        }

        @Test(arguments: [(0o640, Int32(0)), (0o600, 0), (0o644, 1), (0o666, 1)])
        func passwordFileMode(mode: Int, status: Int32) throws {
            let dir = try TemporaryDirectory()
            let secret = try dir.write("smtp-password", "geheim\n", mode: mode)
            let text = try shipped("vertrouwd.toml")
                .replacingOccurrences(of: "username = \"\"", with: "username = \"vertrouwd\"")
                .replacingOccurrences(of: "password_file = \"\"", with: "password_file = \"\(secret.path)\"")
            let file = try dir.write("v.toml", text)
            let result = try Binary.run(["check-config", "--config", file.path])
            #expect(result.status == status, "\(result.stderr)")
            if status != 0 {
                #expect(result.stderr.contains("password file \"\(secret.path)\" has mode 0\(String(mode, radix: 8)); it must be 0640 or stricter"))
                #expect(!result.stderr.contains("geheim"), "a secret never reaches the output")
            }
        }

        @Test func nonUTF8FileIsAnErrorWithItsPosition() throws {
            let dir = try TemporaryDirectory()
            let file = dir.url.appendingPathComponent("latin1.toml")
            var bytes = Array("[school]\nname = \"Sch".utf8)
            bytes.append(0xF6) // ö in Latin-1
            bytes += Array("ol\"\n".utf8)
            try Data(bytes).write(to: file)
            let result = try Binary.run(["check-config", "--config", file.path])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("\(file.path):2:12: error:"), "\(result.stderr)")
        }

        @Test func helpListsTheCommand() throws {
            let result = try Binary.run(["--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("check-config"))
            let sub = try Binary.run(["check-config", "--help"])
            #expect(sub.stdout.contains("--config <path>"))
            #expect(sub.stdout.contains("/etc/vertrouwd/vertrouwd.toml)"), "the default path is documented")
        }
    }
}
