import Foundation
import Testing
@testable import VertrouwdCore
@testable import VertrouwdHelpPage

/// The pages as strings: golden files (nl and en), the advice in the
/// order the issue gives it, nothing loaded from outside, no script, no
/// free-text field, and configured text escaped.
@Suite struct PageRendererTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let renderer = PageRenderer(model: Fixtures.model())

    static let pages: [(String, PageRenderer.Page)] = [
        ("start", .start(formToken: "1796330235.TOKEN")),
        ("start-missing", .start(formToken: "1796330235.TOKEN", missingChoice: true)),
        ("thanks", .thanks(aboutFriend: false, distress: false, repeated: false)),
        ("thanks-friend-distress", .thanks(aboutFriend: true, distress: true, repeated: false)),
        ("thanks-repeated", .thanks(aboutFriend: false, distress: false, repeated: true)),
        ("error-429", .error(status: 429)),
    ]

    @Test(arguments: [Language.nl, .en])
    func pagesMatchTheirGoldenFiles(language: Language) throws {
        for (name, page) in Self.pages {
            let html = renderer.render(page, language: language)
            let url = Self.golden.appendingPathComponent("\(name).\(language.rawValue).html")
            if ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" {
                try html.write(to: url, atomically: true, encoding: .utf8)
            }
            let expected = try String(contentsOf: url, encoding: .utf8)
            #expect(html == expected, "\(name).\(language.rawValue).html differs; VERTROUWD_UPDATE_GOLDEN=1 rewrites it")
        }
    }

    @Test(arguments: [Language.nl, .en])
    func theAdviceComesFirstAndInOrder(language: Language) throws {
        let html = renderer.render(.start(formToken: "t"), language: language)
        let headings = HelpText(language: language).advice.map(\.0)
        var last = html.startIndex
        for heading in headings {
            let range = try #require(html.range(of: heading, range: last..<html.endIndex), "\(heading)")
            last = range.upperBound
        }
        let form = try #require(html.range(of: "<form"))
        #expect(html.range(of: headings[0])!.lowerBound < form.lowerBound, "advice before the form")
    }

    @Test(arguments: [Language.nl, .en])
    func everyPageIsSelfContained(language: Language) {
        for (_, page) in Self.pages {
            let html = renderer.render(page, language: language)
            #expect(!html.contains("<script"))
            #expect(!html.contains(" src="))
            #expect(!html.contains("<link"))
            #expect(!html.contains("@import") && !html.contains("url("))
            #expect(!html.contains("<textarea"))
            #expect(!html.contains("type=\"text\""))
            #expect(!html.contains("http://"))
            for link in html.components(separatedBy: "href=\"https://").dropFirst() {
                #expect(link.contains("rel=\"noreferrer noopener\""), "outside links carry no referrer")
            }
        }
    }

    @Test func theFormOffersOnlyClosedLists() {
        let html = renderer.render(.start(formToken: "t"), language: .nl)
        let inputs = html.components(separatedBy: "<input").dropFirst().map { String($0.prefix { $0 != ">" }) }
        for input in inputs {
            #expect(input.contains("type=\"radio\"") || input.contains("type=\"hidden\""), "\(input)")
        }
        for situation in HelpSituation.allCases { #expect(html.contains("value=\"\(situation.rawValue)\"")) }
        for channel in ["instagram", "snapchat", "discord", "other", "unknown"] { #expect(html.contains("value=\"\(channel)\"")) }
        #expect(html.contains("value=\"klas-4\"") && html.contains("Klas 4"))
    }

    @Test func configuredTextIsEscaped() {
        let renderer = PageRenderer(model: Fixtures.model {
            $0.contactName = "<script>alert(1)</script>"
            $0.contactDetails = "\"kamer\" & 'mail'"
        })
        let html = renderer.render(.start(formToken: "t"), language: .nl)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;kamer&quot; &amp; &#39;mail&#39;"))
    }

    @Test func withoutAContactThePageSaysWhereToAsk() {
        let renderer = PageRenderer(model: Fixtures.model { $0.contactName = nil; $0.contactDetails = nil })
        #expect(renderer.render(.start(formToken: "t"), language: .nl).contains("De vertrouwenspersoon van je school: vraag je mentor"))
    }

    @Test func theStyleHashIsTheStyleSheets() {
        #expect(PageStyle.cspHash.hasPrefix("'sha256-") && PageStyle.cspHash.count == 53)
        let csp = PageStyle.securityHeaders.first { $0.0 == "Content-Security-Policy" }!.1
        #expect(csp.hasPrefix("default-src 'none'"))
        #expect(!csp.contains("unsafe"))
    }

    /// The page's numbers are the ones the trust contact's messages give.
    @Test func theNumbersMatchTheMessageCatalogue() {
        let catalogue = (MessageCatalog.help(.nl) + MessageCatalog.help(.en)
            + MessageCatalog.specific.values.flatMap { $0.values.flatMap { $0 } }).joined(separator: "\n")
        for number in [HelpContacts.police, HelpContacts.emergency, HelpContacts.kindertelefoon, HelpContacts.suicidePrevention] {
            #expect(catalogue.contains(number), "\(number)")
        }
        #expect(catalogue.lowercased().contains(HelpContacts.helpwanted))
        #expect(HelpContacts.telephoneLink("0800-0432") == "tel:08000432")
    }
}
