import Crypto
import Foundation

/// Token buckets per client, in memory only. A client is known by a
/// keyed hash of its address (`ClientKeys`), never by the address: the
/// limiter holds 8 bytes per client and forgets a client once its bucket
/// is full again. Pure; the clock is passed in.
public struct RateLimiter: Sendable {
    struct Bucket: Sendable {
        var tokens: Double
        var updated: Double
    }

    /// The most requests a client may make at once.
    public let burst: Double
    /// Tokens regained per second.
    public let refillPerSecond: Double
    /// The most clients tracked; past it the full buckets are dropped, and
    /// if none are, new clients are refused until some are.
    public let capacity: Int
    private var buckets: [UInt64: Bucket] = [:]

    /// `limit` requests per `period` seconds, all of them usable at once.
    public init(limit: Int, per period: Double, capacity: Int = 50_000) {
        burst = Double(limit)
        refillPerSecond = Double(limit) / period
        self.capacity = capacity
    }

    /// Takes one token from `client`'s bucket; false when it is empty.
    public mutating func allow(_ client: UInt64, now: Double) -> Bool {
        var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.updated) * refillPerSecond)
        bucket.updated = now
        guard bucket.tokens >= 1 else {
            buckets[client] = bucket
            return false
        }
        if buckets[client] == nil, buckets.count >= capacity {
            forgetFullBuckets(now: now)
            if buckets.count >= capacity { return false }
        }
        bucket.tokens -= 1
        buckets[client] = bucket
        return true
    }

    /// How many clients the limiter remembers.
    public var trackedClients: Int { buckets.count }

    mutating func forgetFullBuckets(now: Double) {
        buckets = buckets.filter { $0.value.tokens + (now - $0.value.updated) * refillPerSecond < burst }
    }
}

/// Turns a client address into the limiter's key: HMAC-SHA256 under a
/// random salt made at start and never written anywhere, cut to 8 bytes.
/// The address itself is dropped at once.
public struct ClientKeys: Sendable {
    let salt: [UInt8]

    public init(random: some RandomBytes) {
        salt = random.bytes(32)
    }

    public func key(for address: String) -> UInt64 {
        let code = HMAC<SHA256>.authenticationCode(for: Data(address.utf8), using: SymmetricKey(data: salt))
        return Array(code).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
