import Testing
@testable import VertrouwdHelpPage

/// Token buckets: a burst, then refusal, then refill; bounded memory;
/// clients known only by a salted key.
@Suite struct RateLimiterTests {
    @Test func aClientGetsItsBurstThenWaits() {
        var limiter = RateLimiter(limit: 60, per: 60)
        func allow(_ client: UInt64, now: Double) -> Bool { limiter.allow(client, now: now) }
        let allowed = (0..<1_000).filter { _ in allow(1, now: 0) }.count
        #expect(allowed == 60)
        #expect(!allow(1, now: 0.5))
        #expect(allow(1, now: 1.0), "one token back per second")
        #expect(!allow(1, now: 1.0))
        #expect(allow(2, now: 1.0), "another client has its own bucket")
    }

    @Test func aFullBucketIsForgottenWhenMemoryIsTight() {
        var limiter = RateLimiter(limit: 5, per: 60, capacity: 2)
        func allow(_ client: UInt64, now: Double) -> Bool { limiter.allow(client, now: now) }
        #expect(allow(1, now: 0))
        #expect(allow(2, now: 0))
        #expect(!allow(3, now: 0), "full, and no bucket has refilled")
        #expect(allow(3, now: 60), "client 1 and 2 are full again: forgotten")
        #expect(limiter.trackedClients == 1)
    }

    @Test func clientKeysAreSaltedPerProcess() {
        let a = ClientKeys(random: SystemRandomBytes())
        let b = ClientKeys(random: SystemRandomBytes())
        #expect(a.key(for: "192.0.2.7") == a.key(for: "192.0.2.7"))
        #expect(a.key(for: "192.0.2.7") != a.key(for: "192.0.2.8"))
        #expect(a.key(for: "192.0.2.7") != b.key(for: "192.0.2.7"), "no key outlives its process")
    }
}
