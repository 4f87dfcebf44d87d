import Foundation
import VertrouwdCore

// [helppage] and [helppage.situations]: the pupils' help page (issue 14).
// Decoded after the taxonomy and the sources, which it is checked against.
extension Decoding {
    /// The longest contact name or details text; the page is for a phone.
    static let helpPageTextLimit = 200

    mutating func decodeHelpPage() {
        guard root.has("helppage") else {
            _ = root.value("helppage")  // known key, for "did you mean"
            return
        }
        let t = section("helppage")
        guard !t.isAbsent else { return }
        var page = HelpPageSettings()
        if let text = t.string("listen") {
            if let endpoint = Self.listenEndpoint(text) {
                page.listen = endpoint
            } else {
                context.error(at: t.value("listen")!, "\"listen\" must be host:port, not \"\(text)\"",
                              hint: "for example \"127.0.0.1:8080\" (loopback, behind the portal's reverse proxy) or \"[::1]:8080\"")
            }
        }
        page.language = t.choice("language", Language.self) ?? school.language
        page.contactName = helpPageText(t, "contact_name")
        page.contactDetails = helpPageText(t, "contact_details")
        if let site = t.string("site"), !site.isEmpty {
            if taxonomy.sites.contains(site) {
                page.site = site
            } else {
                context.error(at: t.value("site")!, "\"site\" must be one of taxonomy.sites, not \"\(site)\"",
                              hint: Suggestion.hint(for: site, in: taxonomy.sites.values))
            }
        }
        page.askYearGroup = t.bool("ask_year_group") ?? page.askYearGroup
        page.requestsPerMinute = t.integer("requests_per_minute", in: 5...10_000) ?? page.requestsPerMinute
        page.reportsPerHour = t.integer("reports_per_hour", in: 1...1_000) ?? page.reportsPerHour
        page.maxConnections = t.integer("max_connections", in: 1...10_000) ?? page.maxConnections
        page.trustForwardedFor = t.bool("trust_forwarded_for") ?? page.trustForwardedFor
        page.situations = helpPageSituations(t)
        if !sources.contains(HelpPageSettings.sourceName), !context.quietAboutMissing {
            context.error(at: t.position, "[helppage] needs a [[source]] named \"\(HelpPageSettings.sourceName)\": its reports are signals of that source",
                          hint: "add:\n        [[source]]\n        name = \"\(HelpPageSettings.sourceName)\"")
        }
        t.finish()
        helpPage = page
    }

    /// `[helppage.situations]`: the shipped mapping, with the file's
    /// overrides; a situation whose category the taxonomy lacks is left
    /// off the form (a warning), unless the file names it (an error).
    func helpPageSituations(_ t: TableReader) -> [HelpSituation: String] {
        var explicit: [HelpSituation: String] = [:]
        if let s = t.table("situations") {
            for entry in s.table.entries {
                guard let situation = HelpSituation(rawValue: entry.key) else { continue }
                guard let category = s.string(entry.key) else { continue }
                if categoriesKnown, !taxonomy.categories.contains(category) {
                    context.error(at: s.value(entry.key)!, "situation \"\(entry.key)\" maps to \"\(category)\", which is not in taxonomy.categories",
                                  hint: Suggestion.hint(for: category, in: taxonomy.categories.values))
                    continue
                }
                explicit[situation] = category
            }
            for situation in HelpSituation.allCases { _ = s.value(situation.rawValue) }
            s.finish()
        }
        var result: [HelpSituation: String] = [:]
        var missing: [String] = []
        for situation in HelpSituation.allCases {
            if let category = explicit[situation] {
                result[situation] = category
            } else if !categoriesKnown || taxonomy.categories.contains(situation.defaultCategory) {
                result[situation] = situation.defaultCategory
            } else if !t.isPoisoned("situations"), !context.isPoisoned("helppage.situations.\(situation.rawValue)") {
                missing.append(situation.rawValue)
            }
        }
        if !missing.isEmpty {
            context.warning(at: t.value("situations")?.position ?? t.position,
                            "the help page's form leaves out \(TableReader.list(missing, conjunction: "and")): their categories are not in taxonomy.categories",
                            hint: "map each to a category in [helppage.situations], e.g. \(missing[0]) = \"…\"")
        }
        if result.isEmpty, categoriesKnown {
            context.error(at: t.position, "the help page's form would have no situations to choose from",
                          hint: "map at least one in [helppage.situations] to a category of taxonomy.categories")
        }
        return result
    }

    /// An optional one-line text shown on the page: 1–200 characters, no
    /// control characters; "" means not set.
    func helpPageText(_ t: TableReader, _ key: String) -> String? {
        guard let text = t.string(key) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        guard trimmed.count <= Self.helpPageTextLimit,
              !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            context.error(at: t.value(key)!, "\"\(key)\" must be one line of at most \(Self.helpPageTextLimit) characters")
            return nil
        }
        return trimmed
    }

    /// host:port as for a relay, and port 0 for "any free port".
    static func listenEndpoint(_ text: String) -> Endpoint? {
        if text.hasSuffix(":0"), var endpoint = Endpoint(parsing: String(text.dropLast()) + "1") {
            endpoint.port = 0
            return endpoint
        }
        return Endpoint(parsing: text)
    }
}
