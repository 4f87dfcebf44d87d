import Foundation
import Testing
@testable import VertrouwdCore

/// vertrouwd.toml(5) lists every id a school can use in [advice.nl] and
/// [advice.en], so the page cannot fall behind the catalogue.
@Suite struct AdviceDocsTests {
    @Test func everyAdviceLineIdIsInTheConfigManPage() throws {
        let page = try String(contentsOf: Golden.repositoryRoot.appendingPathComponent("man/vertrouwd.toml.5"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
        let section = try #require(page.range(of: ".SS [advice.nl], [advice.en]").map { page[$0.upperBound...] })
        for line in MessageCatalog.lines {
            #expect(section.contains(".B \(line.id)\n") || section.contains(".B \(line.id),\n") || section.contains(".B \(line.id).\n"),
                    "\(line.id) is not listed under [advice.nl], [advice.en] in vertrouwd.toml(5)")
        }
    }
}
