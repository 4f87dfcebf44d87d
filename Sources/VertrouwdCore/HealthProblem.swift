/// A problem IT should hear about (issue 15 §1): something that makes a
/// broken system look like a quiet week. Identified by what it is, not by
/// its numbers, so that the rate limit holds per problem.
public enum HealthProblem: Hashable, Sendable, Comparable {
    /// A message on this route was given up (delivery failed for good) and
    /// none has been delivered on the route since.
    case deliveryFailing(route: DeliveryRoute)
    /// The store cannot write: claiming from the spool stopped.
    case storeDegraded
    /// The file system holding the state database is nearly full.
    case diskNearFull
    /// A source with `expect_every` has sent nothing for longer.
    case sourceSilent(source: String)

    /// A stable code, as in the JSON form and the logs:
    /// "delivery_failing.email", "store_degraded", "disk_near_full",
    /// "source_silent.<source>".
    public var code: String {
        switch self {
        case .deliveryFailing(let route): "delivery_failing.\(route.rawValue)"
        case .storeDegraded: "store_degraded"
        case .diskNearFull: "disk_near_full"
        case .sourceSilent(let source): "source_silent.\(source)"
        }
    }

    public static func < (a: HealthProblem, b: HealthProblem) -> Bool {
        (a.rank, a.code) < (b.rank, b.code)
    }

    /// Worst first: lost messages, then a store that stopped counting.
    var rank: Int {
        switch self {
        case .deliveryFailing: 0
        case .storeDegraded: 1
        case .diskNearFull: 2
        case .sourceSilent: 3
        }
    }
}

/// Free and total bytes of a file system (statvfs), as the daemon read them.
public struct DiskSpace: Hashable, Sendable {
    public var free: Int64
    public var total: Int64

    public init(free: Int64, total: Int64) {
        self.free = free
        self.total = total
    }

    /// Nearly full: less than 5 % or less than 100 MiB free. SQLite needs
    /// room for its journal; a full disk stops counting (degraded).
    public var isNearFull: Bool {
        total > 0 && (free * 20 < total || free < 100 * 1_048_576)
    }

    /// Free space as a whole percentage of the total, rounded down.
    public var freePercent: Int {
        total > 0 ? Int(free * 100 / total) : 0
    }
}
