import Foundation
import Testing
import VertrouwdConfig

/// Every invalid config gives exactly its golden error text, and every valid
/// one loads and gives its golden summary.
@Suite struct ConfigGoldenTests {
    @Test(arguments: Golden.cases("invalid"))
    func invalidConfigReportsExactErrors(name: String) throws {
        let (output, checked) = try #require(Golden.checkConfigOutput(name: name, folder: "invalid"))
        #expect(checked.configuration == nil, "\(name) must not load")
        #expect(!checked.errors.isEmpty)
        let golden = Golden.directory.appendingPathComponent("invalid/\(name).expected")
        let (ok, expected) = Golden.matches(output, golden)
        #expect(ok, "\(name): output differs from \(golden.lastPathComponent)\n--- expected\n\(expected ?? "(missing)")\n--- actual\n\(output)")
    }

    @Test(arguments: Golden.cases("valid"))
    func validConfigLoads(name: String) throws {
        let (output, checked) = try #require(Golden.checkConfigOutput(name: name, folder: "valid"))
        #expect(checked.errors.isEmpty, "\(checked.report)")
        #expect(checked.configuration != nil)
        let golden = Golden.directory.appendingPathComponent("valid/\(name).expected")
        let (ok, expected) = Golden.matches(output, golden)
        #expect(ok, "\(name): output differs\n--- expected\n\(expected ?? "(missing)")\n--- actual\n\(output)")
    }

    /// The corpus covers what the foundation issue asks for.
    @Test func corpusIsLargeEnough() {
        #expect(Golden.cases("invalid").count >= 30)
    }

    /// Both shipped configs load without errors or warnings; the example
    /// once its example.invalid addresses are replaced, as a school must.
    @Test(arguments: ["vertrouwd.toml", "vertrouwd.dev.toml"])
    func shippedConfigLoads(file: String) throws {
        let url = Golden.repositoryRoot.appendingPathComponent("Config/\(file)")
        let text = Golden.madeLive(try String(contentsOf: url, encoding: .utf8))
        let checked = ConfigLoader(fileSystem: InMemoryConfigFileSystem()).check(bytes: Array(text.utf8), file: file)
        #expect(checked.diagnostics.isEmpty, "\(checked.report)")
        #expect(checked.configuration != nil)
    }

    /// The example as shipped (and as `make install` copies it to /etc) is
    /// refused: each example address is an error at its own position.
    @Test func shippedExampleIsRefusedUntilItsAddressesAreReplaced() throws {
        let url = Golden.repositoryRoot.appendingPathComponent("Config/vertrouwd.toml")
        let bytes = try [UInt8](Data(contentsOf: url))
        let checked = ConfigLoader(fileSystem: InMemoryConfigFileSystem()).check(bytes: bytes, file: "vertrouwd.toml")
        #expect(checked.configuration == nil)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let expected = lines.indices.filter { lines[$0].contains("@example.invalid\"") }.map { $0 + 1 }
        #expect(expected.count == 3)
        #expect(checked.errors.map { $0.position?.line ?? 0 } == expected, "\(checked.report)")
        #expect(checked.errors.allSatisfy { $0.message.contains("is an example address") }, "\(checked.report)")
        #expect(checked.report.contains("replace the example recipients"))
    }
}
