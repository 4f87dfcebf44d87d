/// What one delivery attempt came to, as its route reported it.
public enum AttemptResult: Hashable, Sendable {
    /// The peer confirmed the message (250 after DATA, sendmail's exit 0,
    /// the socket's ack).
    case delivered
    /// A temporary failure (unreachable, timeout, 4xx).
    case temporary(String)
    /// Refused for good (5xx, a route or address the config lacks).
    case permanent(String)
}

/// What the outbox records after an attempt (DESIGN §7).
public enum Settlement: Hashable, Sendable {
    case delivered
    /// Pending again until `at` (epoch seconds), under the same id.
    case retry(at: Int64, reason: String)
    /// Failed for good; `givenUp` when it was a temporary failure of a
    /// message older than delivery.max_age rather than a refusal.
    case failed(reason: String, givenUp: Bool)
}

extension RetryPolicy {
    /// The outbox's record of an attempt: delivered only on confirmation;
    /// a temporary failure retried with back-off until the message would
    /// be older than `maxAge`, then given up; a refusal failed at once.
    ///
    /// - Parameters:
    ///   - attempts: attempts made before this one.
    ///   - jitter: a number in 0..<1 (random in the daemon, fixed in tests).
    public func settle(_ result: AttemptResult, attemptsBefore attempts: Int, createdAt: Int64, now: Int64, jitter: Double) -> Settlement {
        switch result {
        case .delivered:
            return .delivered
        case .permanent(let reason):
            return .failed(reason: reason, givenUp: false)
        case .temporary(let reason):
            switch afterFailure(attempts: attempts + 1, createdAt: createdAt, now: now, jitter: jitter) {
            case .retry(let at): return .retry(at: at, reason: reason)
            case .giveUp: return .failed(reason: "given up after \(maxAge): \(reason)", givenUp: true)
            }
        }
    }

    /// The longest a route's delivery task sleeps when nothing is due: a
    /// new message rings it awake before that.
    public static let idleWait: Int64 = 3_600

    /// How long a route waits before its next round: until its earliest
    /// pending entry is due (0 when one is due already), at most `idleWait`.
    public static func wait(untilNextDue next: Int64?, now: Int64) -> Int64 {
        guard let next else { return idleWait }
        return min(max(0, next - now), idleWait)
    }
}
