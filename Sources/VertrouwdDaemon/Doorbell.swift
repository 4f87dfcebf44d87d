import Synchronization

/// Wakes a waiting task from any thread: the ingest loop rings it when it
/// has put messages in the outbox, so delivery starts at once instead of
/// at the next poll. A ring with nobody waiting is kept for the next wait.
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether a ring waits for the next wait (for tests).
    var isRung: Bool { state.withLock { $0.rung } }

    /// Whether a wait is registered for the next ring (for tests).
    var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

    public func ring() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns after a ring, after `seconds`, or when the task is cancelled.
    public func wait(seconds: Double) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1_000))) }
            group.addTask { await self.nextRing() }
            await group.next()
            group.cancelAll()
        }
    }

    private func nextRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                // Cancellation may come before the waiter is registered:
                // `onCancel` then found none to resume, and a waiter
                // registered after it would sleep until the next ring (a
                // wait of 0 s did, up to an hour). The flag is set before
                // `onCancel` runs, and both take the lock: whichever comes
                // second sees the other.
                let resumeNow = state.withLock { s -> Bool in
                    if s.rung {
                        s.rung = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }
    }
}
