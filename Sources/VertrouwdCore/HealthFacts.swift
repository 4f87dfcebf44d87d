/// What the daemon knows about its own health at one moment: system facts
/// only (issue 15 §1). Nothing here describes a pupil: no bucket, no
/// pupil count, no rejected value; rejects are counted by reason code.
/// These numbers are shown unmasked — they are not subject to k.
public struct HealthFacts: Hashable, Sendable {
    /// A route's given-up messages since the last delivery on it.
    public struct RouteFailure: Hashable, Sendable {
        public var count: Int
        /// The last reason a message was given up (the peer's reply or
        /// "older than delivery.max_age"); never message content.
        public var reason: String
        /// When the first of them was given up (epoch seconds).
        public var since: Int64

        public init(count: Int, reason: String, since: Int64) {
            self.count = count
            self.reason = reason
            self.since = since
        }
    }

    /// Pending outbox entries (one per message, recipient and route).
    public var waiting = 0
    /// When the oldest pending entry was created, if any.
    public var oldestWaiting: Int64?
    /// Routes on which messages were given up since the last delivery.
    public var failing: [DeliveryRoute: RouteFailure] = [:]
    /// Why the store cannot write, when it cannot.
    public var degradedReason: String?
    /// The state database's file system, when it could be read.
    public var disk: DiskSpace?
    /// When each watched source (one with `expect_every`) was last seen
    /// sending; the daemon's start when it has not been seen since.
    public var lastSeen: [String: Int64] = [:]
    /// Today's rejected lines and files, reason code → count.
    public var rejects: [String: Int] = [:]

    public init() {}

    /// Records one settled delivery: a delivery clears its route's
    /// failures, a message given up adds to them.
    public mutating func record(route: DeliveryRoute, delivered: Bool, reason: String = "", now: Int64) {
        if delivered {
            failing[route] = nil
        } else if var f = failing[route] {
            f.count += 1
            f.reason = reason
            failing[route] = f
        } else {
            failing[route] = RouteFailure(count: 1, reason: reason, since: now)
        }
    }

    /// The problems these facts show at `now`, given each watched source's
    /// silence limit (`[[source]] expect_every`).
    public func problems(expectEvery: [String: Interval], now: Int64) -> Set<HealthProblem> {
        var problems = Set(failing.keys.map { HealthProblem.deliveryFailing(route: $0) })
        if degradedReason != nil { problems.insert(.storeDegraded) }
        if disk?.isNearFull == true { problems.insert(.diskNearFull) }
        for (source, limit) in expectEvery {
            if let seen = lastSeen[source], now - seen > limit.seconds {
                problems.insert(.sourceSilent(source: source))
            }
        }
        return problems
    }
}
