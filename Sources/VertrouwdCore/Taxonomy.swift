/// The school's closed vocabularies: what a signal may report (category) and
/// where it may say it came from (site, cohort, channel), with display labels
/// per language.
public struct Taxonomy: Hashable, Sendable {
    public var categories: Vocabulary
    public var sites: Vocabulary
    /// Cohorts with their groups (`klas-4` → `bovenbouw`).
    public var cohorts: Vocabulary
    /// Channels with their groups (`instagram` → `social`).
    public var channels: Vocabulary
    /// Display labels per language, keyed by vocabulary value or group name.
    public var labels: [Language: [String: String]]

    public init(
        categories: Vocabulary, sites: Vocabulary, cohorts: Vocabulary,
        channels: Vocabulary, labels: [Language: [String: String]] = [:]
    ) {
        self.categories = categories
        self.sites = sites
        self.cohorts = cohorts
        self.channels = channels
        self.labels = labels
    }

    /// The label for `value` in `language`, falling back to the value itself.
    public func label(_ value: String, in language: Language) -> String {
        labels[language]?[value] ?? value
    }
}

/// The languages vertrouwd writes its messages in.
public enum Language: String, CaseIterable, Hashable, Sendable {
    case nl, en
}

/// How urgent a signal or an alert is.
public enum Severity: String, CaseIterable, Hashable, Comparable, Sendable {
    case low, medium, high

    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
