/// Decides which health messages to send (issue 15 §1): a problem is told
/// when it appears, told again while it lasts at most once per
/// `repeatEvery`, and followed by a "cleared" notice once it is gone.
/// Pure: the daemon gives it the problems it sees and the time, and sends
/// what comes back.
///
/// Rate limit: at most one "raised" or "ongoing" notice per problem per
/// `repeatEvery`, also across a problem that clears and comes back (a
/// flapping relay); a "cleared" notice follows only a problem that was
/// told, so a problem that came and went unseen within the limit sends
/// nothing.
public struct HealthMonitor: Hashable, Sendable {
    /// The default rate limit per problem.
    public static let defaultRepeat = Interval.hours(6)

    public var repeatEvery: Interval

    struct Open: Hashable, Sendable {
        var since: Int64
        var told: Bool
    }

    /// Problems seen in the last step.
    var open: [HealthProblem: Open] = [:]
    /// When each problem was last told (raised or ongoing).
    var lastTold: [HealthProblem: Int64] = [:]

    public init(repeatEvery: Interval = HealthMonitor.defaultRepeat) {
        self.repeatEvery = repeatEvery
    }

    /// The problems that are open now, with when they began.
    public var openProblems: [HealthProblem: Int64] { open.mapValues(\.since) }

    /// One step: the problems seen at `now`. Returns the notices to send
    /// now, worst problem first, cleared ones last.
    public mutating func step(active: Set<HealthProblem>, now: Int64) -> [HealthNotice] {
        var notices: [HealthNotice] = []
        for problem in active.sorted() {
            let o = open[problem] ?? Open(since: now, told: false)
            open[problem] = o
            if let last = lastTold[problem], now - last < repeatEvery.seconds { continue }
            notices.append(HealthNotice(problem: problem, change: o.told ? .ongoing : .raised, since: o.since))
            lastTold[problem] = now
            open[problem]!.told = true
        }
        for problem in open.keys.filter({ !active.contains($0) }).sorted() {
            let o = open.removeValue(forKey: problem)!
            if o.told { notices.append(HealthNotice(problem: problem, change: .cleared, since: o.since)) }
        }
        return notices
    }

    /// When a step could next have something to send although nothing
    /// changes: the earliest time an open, rate-limited problem may be
    /// told again. Nil when no problem is open.
    public func nextReminder() -> Int64? {
        open.keys.compactMap { lastTold[$0].map { $0 + repeatEvery.seconds } }.min()
    }
}

/// One thing a health message tells about one problem.
public struct HealthNotice: Hashable, Sendable {
    public enum Change: String, Hashable, Sendable {
        /// New: not told before.
        case raised
        /// Still there, told again after the rate limit.
        case ongoing
        /// Gone after it was told.
        case cleared
    }

    public var problem: HealthProblem
    public var change: Change
    /// When the problem began (epoch seconds).
    public var since: Int64

    public init(problem: HealthProblem, change: Change, since: Int64) {
        self.problem = problem
        self.change = change
        self.since = since
    }
}
