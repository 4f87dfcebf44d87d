/// The system facts of one closed week, for IT's weekly health report
/// (issue 15 §3 "health moves to the IT health messages", s7-health).
///
/// What the weekly summary's "Werking" section used to show the trust
/// contact through the pupil privacy filter — rejects by reason, messages
/// not delivered, the spool's backlog — now goes to the recipients that
/// receive "health", unmasked, with the delivery routes and the watched
/// sources beside it. Nothing here describes a pupil: no bucket, no pupil
/// or accepted-signal count, no rejected value; rejects are counted by
/// reason code, and a source only by the days it sent anything.
public struct HealthReportFacts: Hashable, Sendable {
    /// One route's settled messages in the week.
    public struct RouteWeek: Hashable, Sendable {
        public var delivered: Int
        /// Failed for good: older than delivery.max_age, or refused (5xx).
        public var givenUp: Int

        public init(delivered: Int = 0, givenUp: Int = 0) {
            self.delivered = delivered
            self.givenUp = givenUp
        }
    }

    /// A source with `expect_every`, and the days of the week it sent on.
    public struct WatchedSource: Hashable, Sendable {
        public var name: String
        public var expectEvery: Interval
        /// The local days with at least one signal from it, oldest first.
        public var daysSent: [DateText.Day]

        public init(name: String, expectEvery: Interval, daysSent: [DateText.Day]) {
            self.name = name
            self.expectEvery = expectEvery
            self.daysSent = daysSent
        }
    }

    /// "2026-W48"
    public var week: String
    public var first: DateText.Day
    public var last: DateText.Day
    /// The days of the week, Monday first (7, or fewer in a test).
    public var days = 7
    /// Per route, what was settled in the week.
    public var routes: [DeliveryRoute: RouteWeek] = [:]
    /// Routes whose messages are given up since their last delivery, now.
    public var failing: [DeliveryRoute: HealthFacts.RouteFailure] = [:]
    /// Pending outbox entries now, and when the oldest was created.
    public var waiting = 0
    public var oldestWaiting: Int64?
    /// Files waiting in the spool's new/ and cur/ now.
    public var spoolBacklog = 0
    /// The week's rejected lines and files, reason code → count.
    public var rejects: [String: Int] = [:]
    /// Sources with `expect_every`, in the config's order.
    public var watched: [WatchedSource] = []
    /// Sources without `expect_every`, in the config's order.
    public var unwatched: [String] = []

    public init(week: String, first: DateText.Day, last: DateText.Day) {
        self.week = week
        self.first = first
        self.last = last
    }

    /// Keys of the daily health counters that are not rejections.
    static let notRejections: Set<String> = ["accepted", "duplicate"]

    /// Takes the week's daily health counters (per local day: source →
    /// reason → count; a rejected line's source is ""): sums the rejects
    /// by reason and notes the days each watched source sent on.
    public mutating func count(days: [(day: DateText.Day, counters: [String: [String: Int]])],
                               sources: [String], silenceLimits: [String: Interval]) {
        self.days = days.count
        rejects = [:]
        for (_, counters) in days {
            for (_, reasons) in counters {
                for (reason, n) in reasons where !Self.notRejections.contains(reason) && n > 0 {
                    rejects[reason, default: 0] += n
                }
            }
        }
        watched = sources.compactMap { source in
            guard let limit = silenceLimits[source] else { return nil }
            let sent = days.filter { day in
                let reasons = day.counters[source] ?? [:]
                return reasons["accepted", default: 0] + reasons["duplicate", default: 0] > 0
            }.map(\.day)
            return WatchedSource(name: source, expectEvery: limit, daysSent: sent.sorted())
        }
        unwatched = sources.filter { silenceLimits[$0] == nil }
    }

    /// Messages given up in the week, over all routes.
    public var givenUp: Int { routes.values.reduce(0) { $0 + $1.givenUp } }

    /// Watched sources that sent nothing all week.
    public var silentAllWeek: [String] { watched.filter { $0.daysSent.isEmpty }.map(\.name) }

    /// Whether anything asks for IT's attention: a message given up in the
    /// week, a route failing now, a watched source silent all week.
    public var needsAttention: Bool {
        givenUp > 0 || !failing.isEmpty || !silentAllWeek.isEmpty
    }
}
