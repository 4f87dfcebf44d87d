import Foundation

/// A term or year overview (`vertrouwd report`, issue 15 §3): the weeks of
/// a period as their frozen, published weekly summaries showed them, for a
/// school's annual social-safety monitoring (Wet veiligheid op school).
///
/// Privacy: the overview publishes nothing new. Every number in it is a
/// value a published summary showed ("<5", "15", "x"), read from that
/// summary's stored form (`TermReport.published(frozen:language:)`), never
/// a count recomputed today; a week without a published summary is a gap.
/// Weeks are never added up: a sum over weeks was never published, the
/// same pupil may count in several weeks, and a sum of "<5" cells is
/// unknown.
public struct TermReport: Sendable, Hashable {
    /// What one week's published summary showed.
    public struct PublishedWeek: Sendable, Hashable {
        /// The week's total of pupils as shown ("<5", "15", "x"); nil when
        /// the summary showed no table at all.
        public var total: String?
        /// The category table as shown (category → "<5", "15", "x"); nil
        /// when the summary left that table out.
        public var categories: [String: String]?
        /// The categories in the order that week's table listed them.
        public var categoryOrder: [String]
        /// The summary said the week was mostly school holiday.
        public var holiday: Bool
        /// The week's alerts as the summary listed them (bands as shown).
        public var alerts: [SummaryContent.AlertLine]

        public init(total: String?, categories: [String: String]?, categoryOrder: [String] = [],
                    holiday: Bool = false, alerts: [SummaryContent.AlertLine] = []) {
            self.total = total
            self.categories = categories
            self.categoryOrder = categoryOrder.isEmpty ? (categories?.keys.sorted() ?? []) : categoryOrder
            self.holiday = holiday
            self.alerts = alerts
        }
    }

    /// Whether a week has a published summary.
    public enum State: Sendable, Hashable {
        case published(PublishedWeek)
        /// No summary of the week was published (the server was off, the
        /// week was before the install, or it was given up): a gap.
        case missing
        /// A summary is stored but cannot be read (a damaged or foreign
        /// envelope): shown as a gap that says so, never guessed at.
        case unreadable
    }

    /// One ISO week of the period.
    public struct Week: Sendable, Hashable {
        /// "2026-W36"
        public var label: String
        public var first: DateText.Day
        public var last: DateText.Day
        public var state: State

        public init(label: String, first: DateText.Day, last: DateText.Day, state: State) {
            self.label = label
            self.first = first
            self.last = last
            self.state = state
        }

        /// The published week, or nil for a gap.
        public var published: PublishedWeek? {
            if case .published(let week) = state { return week }
            return nil
        }
    }

    /// The period's weeks, oldest first, every week of the period present.
    public var weeks: [Week]

    public init(weeks: [Week]) {
        self.weeks = weeks
    }

    /// The weeks from `from` to `to` (ISO weeks in `zone`, both included),
    /// each with the stored summary `stored` returns for its label (the
    /// frozen envelope, or nil when none was published).
    public static func build(from: Window, to: Window, zone: TimeZone, language: Language,
                             stored: (String) throws -> String?) rethrows -> TermReport {
        var weeks: [Week] = []
        for window in Self.windows(from: from, to: to, zone: zone) {
            let state: State
            if let envelope = try stored(window.label) {
                state = published(frozen: envelope, language: language).map(State.published) ?? .unreadable
            } else {
                state = .missing
            }
            weeks.append(Week(label: window.label, first: DateText.Day(instant: window.start, zone: zone),
                              last: DateText.Day(instant: window.end - 1, zone: zone), state: state))
        }
        return TermReport(weeks: weeks)
    }

    /// The ISO weeks from `from` to `to`, both included; [] when `to` is
    /// before `from`.
    public static func windows(from: Window, to: Window, zone: TimeZone) -> [Window] {
        var result: [Window] = []
        var week = from
        while week.start <= to.start {
            result.append(week)
            week = week.next(in: zone)
        }
        return result
    }

    /// The category columns: the current taxonomy's categories that any
    /// published week showed, in the taxonomy's order, then categories
    /// that earlier summaries showed and the taxonomy no longer has, in the
    /// order they were first shown.
    public func categoryColumns(_ taxonomy: Taxonomy) -> [String] {
        var shown: [String] = []
        var seen = Set<String>()
        for week in weeks {
            for key in week.published?.categoryOrder ?? [] where week.published?.categories?[key] != nil {
                if seen.insert(key).inserted { shown.append(key) }
            }
        }
        let current = taxonomy.categories.values.filter(seen.contains)
        return current + shown.filter { !current.contains($0) }
    }

    /// How many weeks have a published summary, how many of those were
    /// holiday weeks, and how many are gaps: facts about the system, not
    /// about pupils.
    public var weekCounts: (published: Int, holiday: Int, gaps: Int) {
        let published = weeks.compactMap(\.published)
        return (published.count, published.filter(\.holiday).count, weeks.count - published.count)
    }
}
