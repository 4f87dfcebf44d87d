/// An admin's rule: which categories it watches, when it fires and how the
/// alert is grouped. DESIGN §5.
public struct Rule: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Alert once when a group's count in the current window reaches
        /// `minCount`, and again at each band (2×, 4× …).
        case threshold(window: WindowKind)
        /// At week close: this week's count against the mean of the previous
        /// `baselineWeeks` school weeks (holiday weeks skipped) that have
        /// data; fires at ≥ `factor` × baseline and ≥ `minCount`, and only
        /// when at least `minBaselineWeeks` of them have data.
        case rise(baselineWeeks: Int, factor: Double)
    }

    public var name: String
    public var kind: Kind
    public var match: [CategoryPattern]
    public var minCount: Int
    public var groupBy: [Dimension]
    public var severity: Severity
    /// Rise rules: how many of the baseline weeks must have data (the
    /// group seen in them) before a rise is claimed; at most the baseline's
    /// length (`min_baseline_weeks`, issue 15 §2).
    public var minBaselineWeeks: Int

    /// The default of `min_baseline_weeks`.
    public static let defaultMinBaselineWeeks = 3

    /// What an alert of the rule shows (`count`, issue 13). Every
    /// threshold and band still counts distinct pupils.
    public enum Counting: String, CaseIterable, Hashable, Sendable {
        /// "at least 5 pupils".
        case pupils
        /// "at least 20 signals, from at least 5 pupils": the signals'
        /// band beside the pupils' (one pupil may send many signals).
        case signals
    }

    /// `count`: pupils (the default) or signals as well.
    public var counting: Counting = .pupils

    public init(
        name: String, kind: Kind, match: [CategoryPattern], minCount: Int,
        groupBy: [Dimension], severity: Severity, minBaselineWeeks: Int = Rule.defaultMinBaselineWeeks
    ) {
        self.minBaselineWeeks = minBaselineWeeks
        self.name = name
        self.kind = kind
        self.match = match
        self.minCount = minCount
        self.groupBy = groupBy
        self.severity = severity
    }

    /// The window the rule counts in: `rise` rules always compare weeks.
    public var window: WindowKind {
        switch kind {
        case .threshold(let window): window
        case .rise: .week
        }
    }

    public func matches(category: String) -> Bool {
        match.contains { $0.matches(category) }
    }
}

/// The calendar-aligned windows rules count in. There are no rolling
/// windows: two overlapping rolling counts can be subtracted to isolate one
/// pupil.
public enum WindowKind: String, CaseIterable, Hashable, Sendable {
    case day, week
}

/// A category name in a rule's `match`, or a prefix ending in `*`
/// (`"sextortion.*"` matches `sextortion.threat` and `sextortion.payment`).
public struct CategoryPattern: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public var isWildcard: Bool { text.hasSuffix("*") }

    public func matches(_ category: String) -> Bool {
        isWildcard ? category.hasPrefix(text.dropLast()) : category == text
    }

    public var description: String { text }
}

/// A dimension a rule may group its counts by.
public enum Dimension: String, CaseIterable, Hashable, Sendable {
    case site, cohort, cohortGroup = "cohort_group", channel, channelGroup = "channel_group", category
}
