import Foundation
import Synchronization
import Testing
@testable import VertrouwdDaemon

/// The doorbell a delivery route sleeps on: a ring, the time, or
/// cancellation ends a wait, and never does a wait outlive all three.
@Suite struct DoorbellTests {
    /// Runs `body` on a task of its own and reports whether it finished
    /// within about `seconds`. Never waits for the task itself: a wait that
    /// hung (and ignored cancellation) fails the test instead of hanging
    /// it. The time is counted in polls of 5 ms, not on the clock: under
    /// `make test` other suites may hold the two threads of the
    /// cooperative pool for seconds, and then neither the body nor the
    /// poll runs, so a clock deadline would pass without the body's fault.
    static func finishes(within seconds: Double, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        let finished = Mutex(false)
        let task = Task {
            await body()
            finished.withLock { $0 = true }
        }
        for _ in 0..<Int(seconds * 200) {
            if finished.withLock({ $0 }) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        task.cancel()
        return finished.withLock { $0 }
    }

    /// Returns once a wait has registered for the next ring, so that the
    /// ring or cancellation after it reaches a wait in progress (rather
    /// than one not begun, which a kept ring would also end).
    static func registered(_ bell: Doorbell) async {
        while !bell.hasWaiter, !Task.isCancelled { await Task.yield() }
    }

    /// A route with more due messages than one round takes waits 0 s
    /// before its next round. The ring listener of such a wait was
    /// cancelled just before it registered, then registered and slept on:
    /// the wait hung until the next ring (up to an hour), and a backlog's
    /// alerts stopped at a multiple of 100 (`make bench` 8b: 1,704 of
    /// 2,796 acked, the rest pending with nothing else to do).
    @Test func aWaitOfNoTimeAlwaysReturns() async {
        let bell = Doorbell()
        let done = await Self.finishes(within: 60) {
            for _ in 0..<20_000 { await bell.wait(seconds: 0) }
        }
        #expect(done, "a wait of 0 s hung")
    }

    @Test func aRingEndsAWaitAndARingBeforeAWaitIsKept() async {
        let bell = Doorbell()
        let woken = await Self.finishes(within: 30) {
            async let waited: Void = bell.wait(seconds: 3_600)
            await Self.registered(bell)
            bell.ring()
            await waited
        }
        #expect(woken)
        #expect(!bell.isRung, "the ring that ended the wait is used up")
        bell.ring()
        #expect(bell.isRung)
        #expect(await Self.finishes(within: 30) { await bell.wait(seconds: 3_600) }, "the early ring was lost")
        // One ring ends one wait: none is left for the next.
        #expect(!bell.isRung)
    }

    @Test func cancellationEndsAWait() async {
        let bell = Doorbell()
        let ended = await Self.finishes(within: 30) {
            let task = Task { await bell.wait(seconds: 3_600) }
            await Self.registered(bell)
            task.cancel()
            await task.value
        }
        #expect(ended)
    }
}
