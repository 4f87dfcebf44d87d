/// One entry of the alert log: a rule fired for a window, a group and a
/// band. The log is kept across reloads (DESIGN §5) so nothing already sent
/// is sent again.
public struct AlertKey: Hashable, Sendable {
    /// The rule's name.
    public var rule: String
    /// The window's `start` (UTC epoch seconds); with the rule's window kind
    /// this names the window.
    public var windowStart: Int64
    /// The group, as in `AlertDecision.group`.
    public var group: GroupKey
    /// The band: `min_count` × 2ⁿ for threshold rules; the rule's base band
    /// for rise rules (one rise alert per rule, week and group).
    public var band: Int

    public init(rule: String, windowStart: Int64, group: GroupKey, band: Int) {
        self.rule = rule
        self.windowStart = windowStart
        self.group = group
        self.band = band
    }
}

/// A rule's decision to alert, before any message is rendered.
///
/// It carries only what an alert may show (P3, P4, P9): the window (day or
/// ISO week), the group, the band "at least N" (≥ k) and the severity —
/// never an exact count, a signal id, a source or a time finer than the
/// window.
public struct AlertDecision: Hashable, Sendable {
    public var rule: String
    public var window: Window
    /// The value of each of the rule's `group_by` dimensions.
    public var group: GroupKey
    /// The band the count reached, shown as "at least N". Always ≥ k.
    public var atLeast: Int
    /// True when `atLeast` is above the rule's first band (2×, 4× …).
    public var escalation: Bool
    /// The rule's severity.
    public var severity: Severity
    /// Every log entry this decision settles, to be written to the alert log
    /// in the same transaction as the message. More than one when a count
    /// jumped over several bands between two evaluations: only the highest
    /// band is announced, the lower ones are recorded so they never fire
    /// later.
    public var logKeys: [AlertKey]

    public init(
        rule: String, window: Window, group: GroupKey, atLeast: Int,
        escalation: Bool, severity: Severity, logKeys: [AlertKey]
    ) {
        self.rule = rule
        self.window = window
        self.group = group
        self.atLeast = atLeast
        self.escalation = escalation
        self.severity = severity
        self.logKeys = logKeys
    }

    /// The log entry that marks this decision as made: the announced band
    /// for a threshold rule, the base band for a rise rule (one rise alert
    /// per rule, week and group). The last of `logKeys`.
    public var key: AlertKey {
        logKeys.last ?? AlertKey(rule: rule, windowStart: window.start, group: group, band: atLeast)
    }
}

/// The bands of a rule: `base`, 2×, 4× … (DESIGN §5).
public enum AlertBands {
    /// The first band of a rule under privacy threshold `k`: its `min_count`,
    /// raised to k if a rule ever asks for less (the config refuses that;
    /// this keeps P4 true even for a rule built in code), and at least 1.
    public static func base(minCount: Int, k: Int) -> Int {
        max(minCount, k, 1)
    }

    /// Every band ≤ `count`, lowest first: base, 2·base, 4·base …
    public static func crossed(by count: Int, base: Int) -> [Int] {
        var bands: [Int] = []
        var band = base
        while band <= count {
            bands.append(band)
            let (doubled, overflow) = band.multipliedReportingOverflow(by: 2)
            if overflow { break }
            band = doubled
        }
        return bands
    }
}
