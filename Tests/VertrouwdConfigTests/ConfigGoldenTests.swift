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

    /// Both shipped configs load without errors or warnings.
    @Test(arguments: ["vertrouwd.toml", "vertrouwd.dev.toml"])
    func shippedConfigLoads(file: String) throws {
        let url = Golden.repositoryRoot.appendingPathComponent("Config/\(file)")
        let bytes = try [UInt8](Data(contentsOf: url))
        let checked = ConfigLoader(fileSystem: InMemoryConfigFileSystem()).check(bytes: bytes, file: file)
        #expect(checked.diagnostics.isEmpty, "\(checked.report)")
        #expect(checked.configuration != nil)
    }
}
