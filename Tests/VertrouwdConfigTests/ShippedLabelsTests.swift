import Foundation
import Testing
import VertrouwdConfig
import VertrouwdCore

/// The shipped configs label every vocabulary value and group in both
/// languages, so that alerts and summaries say "Instagram" and "leerjaar 4"
/// rather than `instagram` and `klas-4` (issue 15 §3).
@Suite struct ShippedLabelsTests {
    @Test(arguments: ["vertrouwd.toml", "vertrouwd.dev.toml"])
    func everyValueAndGroupHasALabelInEveryLanguage(file: String) throws {
        let url = Golden.repositoryRoot.appendingPathComponent("Config/\(file)")
        let text = Golden.madeLive(try String(contentsOf: url, encoding: .utf8))
        let checked = ConfigLoader(fileSystem: InMemoryConfigFileSystem()).check(bytes: Array(text.utf8), file: file)
        let t = try #require(checked.configuration, "\(checked.report)").taxonomy
        let values = t.categories.values + t.sites.values + t.cohorts.values + t.cohorts.groupNames
            + t.channels.values + t.channels.groupNames
        for language in Language.allCases {
            let labels = t.labels[language] ?? [:]
            for value in values {
                #expect(labels[value] != nil, "\(file): no \(language.rawValue) label for \"\(value)\"")
            }
        }
        #expect(t.label("klas-4", in: .nl) == "leerjaar 4")
        #expect(t.label("instagram", in: .nl) == "Instagram")
    }
}
