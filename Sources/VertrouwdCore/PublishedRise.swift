/// Rise rules, decided from published weekly summaries only (issue 13,
/// finding 3; DESIGN §5, §6 P11).
///
/// A rise rule compares a week with the weeks before it. Decided on true
/// counts, its silence is a fact about them: "no rise" beside a published
/// "10" this week and "<5" the week before says the earlier week held at
/// least 4 — with k = 5, exactly 4. Such a fact joins weeks and is
/// disjunctive (too few, or not enough more, or too little history), and a
/// check that missed it would publish a pin.
///
/// So a rise rule reads nothing but what the summaries showed: this week's
/// tables as they are about to be published, and the baseline weeks'
/// tables as their frozen summaries showed them. Whether it fires — and
/// so its silence — is a function of published values, and tells a reader
/// of the summaries nothing new. It runs when the week's summary is
/// published, and its alert leaves with the summary.
///
/// What a shown value says (`PublishedValue.interval`): "15" is its
/// rounding's preimage, "<5" is 0…4, "x" says nothing. A rule fires when
/// the least this week can hold is ≥ the rule's base band and ≥ `factor` ×
/// the mean of the most each baseline week can hold. That errs towards
/// silence: a rise it claims is real for every count the summaries allow.
public enum PublishedRise {
    /// Where a rise rule's count stands in the published tables: rows of
    /// one table, each row a group, or a sum over rows as the whole school.
    public struct Placement: Hashable, Sendable {
        /// The table's name ("category", "site", …).
        public var table: String
        /// The dimension the groups are keyed by; nil for the whole school.
        public var dimension: Dimension?
        /// The table rows the count reads: one group per row when
        /// `dimension` is set, else one group summing them.
        public var rows: [String]
        /// The whole school over every category: read the table's total.
        public var usesTotal: Bool
    }

    /// Where `rule`'s count stands in the summary's tables, or nil when the
    /// tables do not hold it (the rule then cannot be decided from published
    /// values; the config refuses it, see `whyNotPlaceable`).
    ///
    /// - no `group_by`: the category rows the rule matches (their sum), or
    ///   the total when it matches every category;
    /// - `group_by = ["category"]`: each matched category row;
    /// - `group_by` one other table's dimension (site, channel or
    ///   channel_group, cohort or cohort_group, as the taxonomy's tables
    ///   split), with a rule that matches every category: each row.
    public static func placement(of rule: Rule, cells: SummaryCells) -> Placement? {
        guard let categoryTable = cells.tables.first(where: { $0.dimension == .category }) else { return nil }
        let matched = categoryTable.rows.filter(rule.matches(category:))
        let everyCategory = matched.count == categoryTable.rows.count
        switch rule.groupBy {
        case []:
            return Placement(table: categoryTable.name, dimension: nil, rows: matched, usesTotal: everyCategory)
        case [.category]:
            return Placement(table: categoryTable.name, dimension: .category, rows: matched, usesTotal: false)
        case let dimensions where dimensions.count == 1 && everyCategory:
            guard let table = cells.tables.first(where: { $0.dimension == dimensions[0] }) else { return nil }
            return Placement(table: table.name, dimension: table.dimension, rows: table.rows, usesTotal: false)
        default:
            return nil
        }
    }

    /// Why a rise rule cannot be placed in the summary's tables, as a
    /// config error and its hint; nil when it can.
    public static func whyNotPlaceable(_ rule: Rule, cells: SummaryCells) -> (message: String, hint: String)? {
        guard placement(of: rule, cells: cells) == nil else { return nil }
        let why = "a rise rule is decided from the published weekly summaries"
        guard rule.groupBy.count == 1 else {
            return ("a rise rule groups by at most one dimension", why + ", whose tables split by one dimension at a time")
        }
        let dimension = rule.groupBy[0].rawValue
        guard cells.tables.contains(where: { $0.dimension == rule.groupBy[0] }) else {
            let names = cells.tables.map { "\"\($0.name)\"" }.joined(separator: ", ")
            return ("a rise rule cannot group by \"\(dimension)\": the weekly summary has no \"\(dimension)\" table",
                    why + "; group it by one of \(names), or by nothing")
        }
        return ("a rise rule can group by \"\(dimension)\" only when it matches every category",
                why + ", whose \"\(dimension)\" table counts every category; use match = [\"*\"], or group it by \"category\", or by nothing")
    }

    /// One published week as a rise rule reads it: the tables it showed,
    /// by name; nil for a week without a published summary.
    public typealias Week = [String: SummaryContent.Table]?

    /// A group's count in one published week: the least and the most it
    /// can be (nil: no upper bound, a value the week did not show).
    struct Range: Equatable {
        var least: Int
        var most: Int?
    }

    /// The groups of `placement` in `week` with what the week showed of
    /// each; an empty list when the week is not published or did not show
    /// the table.
    static func ranges(_ placement: Placement, in week: Week, policy: PrivacyPolicy) -> [GroupKey: Range] {
        guard let week, let table = week[placement.table] else { return [:] }
        func range(_ shown: String?) -> Range {
            guard let shown, let interval = PublishedRise.interval(of: shown, policy: policy) else { return Range(least: 0, most: nil) }
            return Range(least: interval.lowerBound, most: interval.upperBound == Int.max ? nil : interval.upperBound)
        }
        let values = Dictionary(table.rows.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let dimension = placement.dimension else {
            if placement.usesTotal { return [GroupKey.wholeSchool: range(table.total)] }
            var sum = Range(least: 0, most: 0)
            for row in placement.rows {
                let r = range(values[row])
                sum.least += r.least
                sum.most = sum.most.flatMap { a in r.most.map { a + $0 } }
            }
            return [GroupKey.wholeSchool: sum]
        }
        var result: [GroupKey: Range] = [:]
        for row in placement.rows {
            let value: GroupKey.Value = row.isEmpty ? .unknown : .known(row)
            result[GroupKey([GroupKey.Part(dimension, value)])] = range(values[row])
        }
        return result
    }

    /// What a shown text says of the count: "15" its rounding's preimage,
    /// "<5" 0…4, anything else (the "x" mark) nothing (nil).
    public static func interval(of shown: String, policy: PrivacyPolicy) -> ClosedRange<Int>? {
        if shown == PublishedValue.suppressed.text(k: policy.minGroupSize) {
            return PublishedValue.suppressed.interval(policy: policy)
        }
        guard let n = Int(shown) else { return nil }
        return PublishedValue.count(n).interval(policy: policy)
    }

    /// The rise alerts of `rule` for `week`, from published values only.
    ///
    /// - Parameters:
    ///   - thisWeek: the week's tables as they are published.
    ///   - baseline: the rule's baseline weeks (school weeks only, oldest
    ///     first, `RuleEngine.weeks(before:count:)`), each as its frozen
    ///     summary showed it; nil for a week without one.
    ///
    /// A baseline week has data when its summary showed the group's value
    /// ("<5" included: it says at most 4). Fewer than
    /// `min_baseline_weeks` such weeks: no rise. Otherwise the rule fires
    /// when the least this week can hold is ≥ the base band and ≥ `factor`
    /// × the mean of the most each baseline week with data can hold; the
    /// alert says "at least" the highest band that least value crosses.
    public static func decisions(
        _ rule: Rule, week: Window, thisWeek: [SummaryContent.Table], baseline: [Week],
        cells: SummaryCells, policy: PrivacyPolicy
    ) -> [AlertDecision] {
        guard case .rise(let baselineWeeks, let factor) = rule.kind,
              let placement = placement(of: rule, cells: cells) else { return [] }
        let k = policy.minGroupSize
        let base = AlertBands.base(minCount: rule.minCount, k: k)
        let needed = max(1, min(rule.minBaselineWeeks, baselineWeeks))
        let now = ranges(placement, in: Dictionary(thisWeek.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }), policy: policy)
        let earlier = baseline.map { ranges(placement, in: $0, policy: policy) }
        var decisions: [AlertDecision] = []
        for (group, range) in now.sorted(by: { $0.key < $1.key }) where range.least >= base {
            let most = earlier.compactMap { $0[group]?.most }
            guard most.count >= needed else { continue }
            let mean = Double(most.reduce(0, +)) / Double(most.count)
            guard Double(range.least) >= factor * mean, let band = AlertBands.crossed(by: range.least, base: base).last
            else { continue }
            decisions.append(AlertDecision(
                rule: rule.name, window: week, group: group, atLeast: band, escalation: false, severity: rule.severity,
                logKeys: [AlertKey(rule: rule.name, windowStart: week.start, group: group, band: base)]
            ))
        }
        return decisions
    }
}
