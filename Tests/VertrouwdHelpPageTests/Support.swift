import Foundation
import Synchronization
import VertrouwdCore
@testable import VertrouwdHelpPage

/// Deterministic random bytes: a counter, so every value differs and a
/// test can tell them apart.
final class CountingRandom: RandomBytes {
    private let counter = Mutex<UInt8>(0)
    func bytes(_ count: Int) -> [UInt8] {
        counter.withLock { c in
            c &+= 1
            return (0..<count).map { UInt8(truncatingIfNeeded: Int(c) &* 31 &+ $0 &* 7) }
        }
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let value: Mutex<Double>
    init(_ start: Double) { value = Mutex(start) }
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}

enum Fixtures {
    /// 2026-12-03 18:37:15 UTC.
    static let start: Double = 1_796_323_035

    /// The shipped taxonomy, the `helppage` source, and a help page with
    /// a named trust contact.
    static func configuration(_ edit: (inout HelpPageSettings) -> Void = { _ in }) -> Configuration {
        let taxonomy = Taxonomy(
            categories: Vocabulary(["grooming", "sextortion.threat", "sextortion.payment", "image.request",
                                    "image.shared", "help_seeking", "distress"]),
            sites: Vocabulary(["hoofdgebouw", "dependance"]),
            cohorts: Vocabulary(grouped: [("klas-1", "onderbouw"), ("klas-4", "bovenbouw")]),
            channels: Vocabulary(grouped: [("instagram", "social"), ("snapchat", "social"), ("discord", "gaming"), ("other", "other")]))
        var configuration = Configuration(
            school: SchoolSettings(name: "Testschool", timeZone: TimeZone(identifier: "Europe/Amsterdam")!),
            taxonomy: taxonomy, sources: ["webfilter", "helppage"], rules: [], recipients: [])
        var page = HelpPageSettings()
        page.contactName = "Mevrouw De Vries"
        page.contactDetails = "kamer 1.12, ma en do in de pauze"
        page.site = "hoofdgebouw"
        for situation in HelpSituation.allCases { page.situations[situation] = situation.defaultCategory }
        edit(&page)
        configuration.helpPage = page
        return configuration
    }

    static func model(_ edit: (inout HelpPageSettings) -> Void = { _ in }) -> HelpPageModel {
        let c = configuration(edit)
        return HelpPageModel(settings: c.helpPage!, taxonomy: c.taxonomy)
    }
}

extension HelpResponse {
    /// The name=value part of each Set-Cookie header.
    var cookies: [String: String] {
        var result: [String: String] = [:]
        for (name, value) in headers where name == "Set-Cookie" {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            result[String(pair[0])] = String(pair[1])
        }
        return result
    }

    /// The form token in the page's hidden field.
    var formToken: String? {
        guard let range = body.range(of: "name=\"token\" value=\"") else { return nil }
        return String(body[range.upperBound...].prefix { $0 != "\"" })
    }
}
