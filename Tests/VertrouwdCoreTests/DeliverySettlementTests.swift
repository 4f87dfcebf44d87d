import Testing
import VertrouwdCore

@Suite struct DeliverySettlementTests {
    let policy = RetryPolicy(maxAge: .days(7))
    let week: Int64 = 604_800

    @Test func onlyAConfirmationCountsAsDelivered() {
        #expect(policy.settle(.delivered, attemptsBefore: 3, createdAt: 0, now: 10, jitter: 0.5) == .delivered)
        #expect(policy.settle(.temporary("451 later"), attemptsBefore: 0, createdAt: 0, now: 10, jitter: 0.5)
            == .retry(at: 11, reason: "451 later"))
    }

    @Test func backOffGrowsWithTheAttemptsMade() {
        let delays = (0..<4).map { before -> Int64 in
            guard case .retry(let at, _) = policy.settle(.temporary("x"), attemptsBefore: before, createdAt: 0, now: 100, jitter: 0.5) else { return -1 }
            return at - 100
        }
        #expect(delays == [1, 2, 4, 8])
    }

    @Test func aRefusalFailsAtOnceAndIsNotAGiveUp() {
        #expect(policy.settle(.permanent("550 no such user"), attemptsBefore: 0, createdAt: 0, now: 1, jitter: 0)
            == .failed(reason: "550 no such user", givenUp: false))
    }

    @Test func aTemporaryFailurePastMaxAgeIsGivenUpWithTheReason() {
        let settled = policy.settle(.temporary("timeout"), attemptsBefore: 40, createdAt: 0, now: week - 10, jitter: 0.5)
        #expect(settled == .failed(reason: "given up after 1w: timeout", givenUp: true))
    }

    @Test func aRouteWaitsForItsNextDueEntryAtMostAnHour() {
        #expect(RetryPolicy.wait(untilNextDue: nil, now: 100) == 3_600)
        #expect(RetryPolicy.wait(untilNextDue: 90, now: 100) == 0, "overdue: at once")
        #expect(RetryPolicy.wait(untilNextDue: 130, now: 100) == 30)
        #expect(RetryPolicy.wait(untilNextDue: 100 + 7_200, now: 100) == 3_600)
    }
}
