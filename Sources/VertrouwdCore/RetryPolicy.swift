/// When to try a message again (DESIGN §7): exponential back-off from 1 s
/// to 1 h, with ±20 % jitter so that messages queued together do not hit
/// a recovering relay together; given up once older than delivery.max_age.
public struct RetryPolicy: Sendable, Hashable {
    public var first: Int64 = 1
    public var last: Int64 = 3_600
    public var maxAge: Interval

    public init(maxAge: Interval) {
        self.maxAge = maxAge
    }

    /// What to do after a failed attempt.
    public enum Decision: Hashable, Sendable {
        case retry(at: Int64)
        case giveUp
    }

    /// - Parameters:
    ///   - attempts: attempts made so far, this one included (≥ 1).
    ///   - jitter: a number in 0..<1 (random in the daemon, fixed in tests).
    public func afterFailure(attempts: Int, createdAt: Int64, now: Int64, jitter: Double) -> Decision {
        precondition(attempts >= 1 && (0..<1).contains(jitter))
        let base = Double(min(last, first << Int64(min(attempts - 1, 40))))
        let delay = max(Double(first), min(Double(last), base * (0.8 + 0.4 * jitter)))
        let at = now + Int64(delay.rounded())
        return at - createdAt > maxAge.seconds ? .giveUp : .retry(at: at)
    }
}
