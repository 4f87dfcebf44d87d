import PropertyBased
import Testing
import VertrouwdCore

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAge: .days(7))

    @Test func delaysDoubleFromOneSecondToOneHour() {
        let delays = (1...16).map { n -> Int64 in
            guard case .retry(let at) = policy.afterFailure(attempts: n, createdAt: 0, now: 1_000, jitter: 0.5) else { return -1 }
            return at - 1_000
        }
        #expect(delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_024, 2_048, 3_600, 3_600, 3_600, 3_600])
    }

    @Test func givesUpOnceTheMessageWouldBeOlderThanMaxAge() {
        let week: Int64 = 604_800
        #expect(policy.afterFailure(attempts: 30, createdAt: 0, now: week - 3_601, jitter: 0.5) == .retry(at: week - 1))
        #expect(policy.afterFailure(attempts: 30, createdAt: 0, now: week - 10, jitter: 0.5) == .giveUp)
    }

    @Test func jitterStaysWithinTwentyPercentAndTheBounds() async {
        await propertyCheck(count: 500, input: Gen.int(in: 1...60), Gen.int(in: 0...999)) { attempts, j in
            let jitter = Double(j) / 1_000
            guard case .retry(let at) = policy.afterFailure(attempts: attempts, createdAt: 0, now: 0, jitter: jitter) else {
                Issue.record("a fresh message is always retried")
                return
            }
            let nominal = Double(min(3_600, Int64(1) << Int64(min(attempts - 1, 40))))
            #expect(at >= 1 && at <= 3_600)
            #expect(Double(at) >= (nominal * 0.8).rounded(.down) - 1 || at == 1)
            #expect(Double(at) <= min(3_600, (nominal * 1.2).rounded(.up)))
        }
    }
}
