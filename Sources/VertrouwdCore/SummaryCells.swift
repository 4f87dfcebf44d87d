import Foundation

/// The weekly summary's four tables (DESIGN §8): which row a bucket counts
/// in, and which rows an alert's group can cover. Pure; the row of a
/// bucket is the value `AlertGroup` gives it, so a table row and an alert
/// group that name the same signals always agree.
public struct SummaryCells: Sendable {
    /// One table: the dimension it splits by (its name is the dimension's
    /// config spelling: "category", "channel_group" …) and its rows in a
    /// fixed order, "" (unknown) last where signals may leave it out.
    public struct Table: Hashable, Sendable {
        public var dimension: Dimension
        public var rows: [String]
        public var name: String { dimension.rawValue }
    }

    public let taxonomy: Taxonomy
    /// category, channel (or channel_group), site, cohort (or cohort_group).
    /// A vocabulary without groups is shown ungrouped.
    public let tables: [Table]

    public init(taxonomy: Taxonomy) {
        self.taxonomy = taxonomy
        let channels = taxonomy.channels.isGrouped
            ? Table(dimension: .channelGroup, rows: taxonomy.channels.groupNames + [""])
            : Table(dimension: .channel, rows: taxonomy.channels.values + [""])
        let cohorts = taxonomy.cohorts.isGrouped
            ? Table(dimension: .cohortGroup, rows: taxonomy.cohorts.groupNames + [""])
            : Table(dimension: .cohort, rows: taxonomy.cohorts.values + [""])
        tables = [
            Table(dimension: .category, rows: taxonomy.categories.values),
            channels,
            Table(dimension: .site, rows: taxonomy.sites.values + [""]),
            cohorts,
        ]
    }

    /// The row a bucket counts in, in a table split by `dimension`.
    public func row(of bucket: BucketCount, _ dimension: Dimension) -> String {
        AlertGroup.value(of: bucket, dimension, taxonomy: taxonomy).rowText
    }

    /// Every table's rows with their pupils (0 for a row no bucket
    /// reaches), by table name.
    ///
    /// Each table counts every pupil of the week once: in the first row (in
    /// the table's order) that any of the pupil's signals falls in. A table
    /// is then a partition of the week's pupils, its rows add up to its
    /// total, and the four tables share that total — the linear facts the
    /// disclosure check reasons with stay true. A pupil whose signals fall
    /// in several rows shows in the first of them only. A bucket whose row
    /// a table does not list (a value a reload removed) counts in none of
    /// its rows.
    public func counts(_ buckets: [BucketCount]) -> [String: [(key: String, count: Int)]] {
        var counts: [String: [(key: String, count: Int)]] = [:]
        for table in tables {
            let position = Dictionary(table.rows.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            var first: [PupilID: Int] = [:]
            for bucket in buckets {
                guard let r = position[row(of: bucket, table.dimension)] else { continue }
                for pupil in bucket.pupils where (first[pupil] ?? Int.max) > r { first[pupil] = r }
            }
            var byRow = [Int](repeating: 0, count: table.rows.count)
            for r in first.values { byRow[r] += 1 }
            counts[table.name] = zip(table.rows, byRow).map { ($0, $1) }
        }
        return counts
    }

    /// The rows of `table` that a pupil counted by an alert of `rule` and
    /// `group` can be counted in: the pupil has a signal in a matching row
    /// and counts in the first row its signals reach (`counts`), so its row
    /// lies at or before the last matching row.
    public func rowsReachable(table: Table, rule: Rule, group: GroupKey) -> [String] {
        guard let last = table.rows.lastIndex(where: { matches(row: $0, table: table.dimension, rule: rule, group: group) })
        else { return [] }
        return Array(table.rows[...last])
    }

    /// Whether a table row can hold signals of an alert's group: the row
    /// agrees with every group value it can be compared with. A group by
    /// `channel` fixes both the channel and the channel_group row; a group
    /// by `channel_group` fixes only the channel_group row (any channel row
    /// may be in it). The category table also holds only the rule's
    /// categories.
    public func matches(row: String, table: Dimension, rule: Rule, group: GroupKey) -> Bool {
        func value(_ d: Dimension) -> String? { group[d]?.rowText }
        /// The row `value` of `fine` falls in, in a table of `table`.
        func coarse(_ value: String, of vocabulary: Vocabulary) -> String {
            value.isEmpty ? "" : vocabulary.group(of: value) ?? value
        }
        switch table {
        case .category:
            return rule.matches(category: row) && (value(.category).map { $0 == row } ?? true)
        case .site:
            return value(.site).map { $0 == row } ?? true
        case .channel, .channelGroup:
            if let c = value(.channel) { return table == .channel ? c == row : coarse(c, of: taxonomy.channels) == row }
            if let g = value(.channelGroup) { return table == .channelGroup ? g == row : true }
            return true
        case .cohort, .cohortGroup:
            if let c = value(.cohort) { return table == .cohort ? c == row : coarse(c, of: taxonomy.cohorts) == row }
            if let g = value(.cohortGroup) { return table == .cohortGroup ? g == row : true }
            return true
        }
    }
}

/// The alerts a weekly summary lists, and the bounds they give an attacker
/// who reads them next to the summary's tables (P8).
public struct SummaryAlerts: Sendable {
    public var lines: [SummaryContent.AlertLine]
    public var bounds: [(cells: [CellID], window: String, atLeast: Int)]
    /// The same alerts as a reader who assumes that every pupil has
    /// signals in one row of each table only reads them: over the matching
    /// rows alone. Often true, never guaranteed (a pupil with a payment and
    /// an image signal counts in the first of the two rows), so the check
    /// holds these as a belief the reader may have, beside the sound
    /// `bounds`, and a release must be safe under both.
    public var matchingRowBounds: [(cells: [CellID], window: String, atLeast: Int)] = []
    /// What the week's rule groups said by staying silent, or by not
    /// escalating (`silences(...)`): upper bounds for the check.
    public var silences: [AlertBound] = []
    /// When a rule group's silence is no single interval (a rule changed
    /// under its name in the week, see `silences(...)`): every combination
    /// of the groups' intervals, each a list like `silences` with those
    /// groups narrowed to one of them. The reader knows the truth lies in
    /// one of them; a release safe under each is safe. Empty when every
    /// silence is one interval (nearly always); nil when there are more
    /// than `maxSilenceAlternatives`: the week's tables are then left out
    /// (fail closed).
    public var silenceAlternatives: [[AlertBound]]? = []

    /// The most silence alternatives a week is checked under.
    public static let maxSilenceAlternatives = 64

    /// From the alert ledger: the highest band per rule definition, window
    /// and group for the windows starting in `week` (its days, or the week
    /// itself).
    ///
    /// Each entry is placed with the rule that decided it, as its stored
    /// definition says (issue 13, finding 7): a rule deleted or changed by
    /// a reload after its alert went out still bounds the cells its alert
    /// spoke of, with the match, window and group_by it had then. Two
    /// entries of one name under different definitions are different
    /// alerts. An entry from before the ledger (store schema v4, no
    /// definition) is placed with the current rule of its name; when that
    /// is gone too it is left out, as before v4 — such entries are at most
    /// one week old when v4 first runs.
    public init(week: Window, ledger: [LoggedAlert], rules: [Rule], cells: SummaryCells, zone: TimeZone) {
        var highest: [SummaryAlert: (rule: Rule, band: Int)] = [:]
        for entry in ledger where entry.key.windowStart >= week.start && entry.key.windowStart < week.end {
            guard let rule = entry.placingRule(in: rules) else { continue }
            let alert = SummaryAlert(rule: entry.key.rule, definition: RuleDefinition.encode(rule),
                                     windowStart: entry.key.windowStart, group: entry.key.group)
            highest[alert] = (rule, max(highest[alert]?.band ?? 0, entry.key.band))
        }
        let ordered = highest.map { (alert: $0.key, rule: $0.value.rule, band: $0.value.band, group: $0.key.group.encoded) }
            .sorted { ($0.alert.rule, $0.alert.windowStart, $0.group, $0.alert.definition)
                < ($1.alert.rule, $1.alert.windowStart, $1.group, $1.alert.definition) }
        var lines: [(line: SummaryContent.AlertLine, group: String, definition: String)] = []
        var bounds: [(cells: [CellID], window: String, atLeast: Int)] = []
        var matching: [(cells: [CellID], window: String, atLeast: Int)] = []
        for entry in ordered {
            let rule = entry.rule
            let window = Window.containing(entry.alert.windowStart, kind: rule.window, in: zone)
            lines.append((.init(rule: rule.name, window: window.label, atLeast: entry.band), entry.group, entry.alert.definition))
            for table in cells.tables {
                let rows = cells.rowsReachable(table: table, rule: rule, group: entry.alert.group)
                bounds.append((rows.map { CellID(table: table.name, row: $0) }, window.label + "|" + entry.group, entry.band))
                let exact = table.rows.filter { cells.matches(row: $0, table: table.dimension, rule: rule, group: entry.alert.group) }
                matching.append((exact.map { CellID(table: table.name, row: $0) }, window.label + "|" + entry.group, entry.band))
            }
        }
        self.matchingRowBounds = matching
        self.lines = lines.sorted { ($0.line.window, $0.line.rule, $0.group, $0.definition) < ($1.line.window, $1.line.rule, $1.group, $1.definition) }
            .map(\.line)
        self.bounds = bounds
    }

    /// `init(week:ledger:rules:cells:zone:)` plus the week's silences under k.
    public init(week: Window, ledger: [LoggedAlert], rules: [Rule], cells: SummaryCells, zone: TimeZone, k: Int) {
        self.init(week: week, ledger: ledger, rules: rules, cells: cells, zone: zone)
        (silences, silenceAlternatives) = Self.silences(week: week, log: ledger.map(\.key), rules: rules, cells: cells, k: k)
        let days = Self.daySilences(week: week, log: ledger.map(\.key), rules: rules, cells: cells, k: k, zone: zone)
        silences += days
        silenceAlternatives = silenceAlternatives?.map { $0 + days }
    }

    /// A log without definitions (every entry placed with the current
    /// rule of its name, as an entry from before v4).
    public init(week: Window, log: [AlertKey], rules: [Rule], cells: SummaryCells, zone: TimeZone) {
        self.init(week: week, ledger: log.map { LoggedAlert(key: $0, rule: nil) }, rules: rules, cells: cells, zone: zone)
    }

    /// `init(week:log:rules:cells:zone:)` plus the week's silences under k.
    public init(week: Window, log: [AlertKey], rules: [Rule], cells: SummaryCells, zone: TimeZone, k: Int) {
        self.init(week: week, ledger: log.map { LoggedAlert(key: $0, rule: nil) }, rules: rules, cells: cells, zone: zone, k: k)
    }

    /// Upper bounds that the week's threshold rules with a week window give
    /// (finding 2 of issue 13): a rule group that did not alert holds at
    /// most base − 1 pupils; one that alerted at band B and did not
    /// escalate, at most 2B − 1.
    ///
    /// A bound reaches only the table rows whose pupils the group surely
    /// counts: a pupil counts in a row that one of its signals falls in,
    /// so the rows of a category table that the rule matches, for a rule
    /// over the whole school; and for a rule that matches every category
    /// and groups by one dimension, that dimension's table row of the
    /// group's value.
    ///
    /// Day windows: `daySilences`. Rise rules say nothing the summaries do
    /// not (`PublishedRise`).
    ///
    /// A rule changed by a reload (issue 13, finding 7). A silence is a
    /// fact about a rule as it stands at week close — the current rule
    /// (the summary runs after the last pass of the week, with every
    /// signal counted, as for finding 2). The rule engine keys the log by
    /// rule NAME: at that last pass the current rule announced the highest
    /// of its bands that its count c crossed unless an entry of that name,
    /// window, group and band — of any definition — was logged already. So
    /// after it, c < base or c's highest band is in the name's logged bands
    /// L. Hence the bound: with m the highest band of L that is a band of
    /// the CURRENT rule (base · 2ⁿ), c ≤ 2m − 1; with none, c ≤ base − 1.
    /// This is true, and it is what a reader who knows the algorithm and
    /// the ledger derives. A band of L that the current rule does not have
    /// (logged under another definition of the name: min_count 15 before,
    /// 5 now) says nothing about c and is not used: taking it as the
    /// highest band, as before the ledger, gave ≤ 29 where the reader
    /// knows ≤ 4 — weaker than the reader, so unsound.
    ///
    /// The bound is exact unless the current rule's bands in L have a gap
    /// below m (another definition of the name, with another match,
    /// logged band 10; the current rule, base 5, never announced 5): the
    /// reader then knows c ≤ base − 1 or c ∈ [b, 2b − 1] for a b of them,
    /// which one interval cannot say. Such a group's bound is their hull
    /// (true), and its intervals go to `silenceAlternatives`, under each of
    /// which the release must be safe too. It needs a rule that keeps its
    /// name but counts other categories after a reload in the week; an
    /// engine that keyed its log by name and definition would not have
    /// it. An old definition's own silence (its count at the reload
    /// stayed below its next band) bounds the counts at the reload, not
    /// the week's; it is no fact about the published cells unless no
    /// signal came after it, and is not used.
    ///
    /// - Returns: the bounds, and their alternatives (`silenceAlternatives`).
    static func silences(week: Window, log: [AlertKey], rules: [Rule], cells: SummaryCells,
                         k: Int) -> (bounds: [AlertBound], alternatives: [[AlertBound]]?) {
        var logged: [String: [GroupKey: Set<Int>]] = [:]
        for key in log where key.windowStart == week.start {
            logged[key.rule, default: [:]][key.group, default: []].insert(key.band)
        }
        var result: [AlertBound] = []
        /// Per bound (by position in `result`) that is a disjunction: its intervals.
        var disjunctions: [(at: Int, intervals: [ClosedRange<Int>])] = []
        for rule in rules {
            guard case .threshold(window: .week) = rule.kind else { continue }
            let base = AlertBands.base(minCount: rule.minCount, k: k)
            for (group, cellIDs) in silencePlacements(of: rule, cells: cells) {
                let own = (logged[rule.name]?[group] ?? []).filter { isBand($0, base: base) }.sorted()
                let intervals = Self.intervals(base: base, bands: own)
                if intervals.count > 1 { disjunctions.append((result.count, intervals)) }
                result.append(AlertBound(cells: cellIDs, atLeast: 0, atMost: intervals.last!.upperBound))
            }
        }
        guard !disjunctions.isEmpty else { return (result, []) }
        let count = disjunctions.reduce(1) { $0 * $1.intervals.count }
        guard count <= maxSilenceAlternatives else { return (result, nil) }
        var alternatives = [result]
        for (at, intervals) in disjunctions {
            alternatives = alternatives.flatMap { list in
                intervals.map { interval in
                    var narrowed = list
                    narrowed[at].atLeast = interval.lowerBound
                    narrowed[at].atMost = interval.upperBound
                    return narrowed
                }
            }
        }
        return (result, alternatives)
    }

    /// Upper bounds that the week's threshold rules with a DAY window give
    /// the week's cells: a pupil the week's row counts has a signal on one
    /// of its days, so the week's count of a rule group is at most the sum
    /// over the week's days of what each day's silence allows (base − 1,
    /// or 2m − 1 after its highest own logged band m; `intervals`). Placed
    /// in the rows the group surely counts, as `silences` places a week
    /// rule's. A day whose bands leave a gap adds its hull's top: a
    /// weaker bound than the reader's disjunction, never a false one.
    static func daySilences(week: Window, log: [AlertKey], rules: [Rule], cells: SummaryCells, k: Int,
                            zone: TimeZone) -> [AlertBound] {
        var days: [Window] = []
        var day = Window.containing(week.start, kind: .day, in: zone)
        while day.start < week.end {
            days.append(day)
            day = day.next(in: zone)
        }
        var logged: [String: [Int64: [GroupKey: Set<Int>]]] = [:]
        for key in log where key.windowStart >= week.start && key.windowStart < week.end {
            logged[key.rule, default: [:]][key.windowStart, default: [:]][key.group, default: []].insert(key.band)
        }
        var result: [AlertBound] = []
        for rule in rules {
            guard case .threshold(window: .day) = rule.kind else { continue }
            let base = AlertBands.base(minCount: rule.minCount, k: k)
            for (group, cellIDs) in silencePlacements(of: rule, cells: cells) {
                let most = days.reduce(0) { sum, day in
                    let own = (logged[rule.name]?[day.start]?[group] ?? []).filter { isBand($0, base: base) }.sorted()
                    return sum + intervals(base: base, bands: own).last!.upperBound
                }
                result.append(AlertBound(cells: cellIDs, atLeast: 0, atMost: most))
            }
        }
        return result
    }

    /// The groups of `rule` whose pupils the week's table rows surely
    /// count, each with those rows: a pupil counts in a row one of its
    /// signals falls in, so the category rows the rule matches, for a rule
    /// over the whole school; and for a rule that matches every category
    /// and groups by one table's dimension, that table's row of each group.
    /// Other rules place no silence.
    static func silencePlacements(of rule: Rule, cells: SummaryCells) -> [(group: GroupKey, cells: [CellID])] {
        if rule.groupBy.isEmpty {
            guard let table = cells.tables.first(where: { $0.dimension == .category }) else { return [] }
            let rows = table.rows.filter { rule.matches(category: $0) }.map { CellID(table: table.name, row: $0) }
            return rows.isEmpty ? [] : [(GroupKey.wholeSchool, rows)]
        }
        guard rule.groupBy.count == 1, cells.taxonomy.categories.values.allSatisfy(rule.matches(category:)),
              let table = cells.tables.first(where: { $0.dimension == rule.groupBy[0] }) else { return [] }
        return table.rows.map { row in
            let value: GroupKey.Value = row.isEmpty ? .unknown : .known(row)
            return (GroupKey([GroupKey.Part(table.dimension, value)]), [CellID(table: table.name, row: row)])
        }
    }

    /// Whether `band` is one of a rule's bands: base · 2ⁿ.
    static func isBand(_ band: Int, base: Int) -> Bool {
        band >= base && band % base == 0 && (band / base).nonzeroBitCount == 1
    }

    /// What a rule group's count can be after the last pass, given the
    /// logged bands of the name that are the rule's own (sorted): below
    /// base, or within [b, 2b − 1] of one of them; adjacent intervals
    /// merged, lowest first. One interval [0, 2m − 1] when the bands are
    /// base, 2·base … m, as with one definition.
    public static func intervals(base: Int, bands: [Int]) -> [ClosedRange<Int>] {
        var result = [0...(base - 1)]
        for band in bands {
            if let last = result.last, band <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, 2 * band - 1)
            } else {
                result.append(band...(2 * band - 1))
            }
        }
        return result
    }
}

/// An alert as the summary counts it: a rule (its name and definition), a
/// window and a group (the band is its highest).
private struct SummaryAlert: Hashable {
    var rule: String
    var definition: String
    var windowStart: Int64
    var group: GroupKey
}
