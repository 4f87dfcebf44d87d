import VertrouwdCore

/// What the help page offers, decided once from the configuration: the
/// form's closed lists and where a report is counted. Pure and Sendable,
/// so the HTTP layer only looks things up in it.
public struct HelpPageModel: Sendable {
    /// One choice of a closed list: the value the form sends and its label key.
    public struct Option: Hashable, Sendable {
        public var value: String
        public var category: String?
    }

    public let settings: HelpPageSettings
    public let taxonomy: Taxonomy
    /// The situations on the form, in their fixed order.
    public let situations: [HelpSituation]
    /// The taxonomy's channels, in configured order.
    public let channels: [String]
    /// The taxonomy's cohorts, or none when the form does not ask.
    public let cohorts: [String]

    public init(settings: HelpPageSettings, taxonomy: Taxonomy) {
        self.settings = settings
        self.taxonomy = taxonomy
        self.situations = HelpSituation.allCases.filter { settings.situations[$0] != nil }
        self.channels = taxonomy.channels.values
        self.cohorts = settings.askYearGroup ? taxonomy.cohorts.values : []
    }

    /// The category a situation counts as.
    public func category(of situation: HelpSituation) -> String? {
        settings.situations[situation]
    }
}
