import Foundation

/// When the ingest loop does what: a state machine that takes events with
/// the clock and returns the next step, in the manner of swift-nio's state
/// machines. It does no I/O and reads no clock; the daemon's `IngestLoop`
/// carries its actions out and reports their outcome as the next event.
///
/// A pass is `prepare` → `drain` → `evaluate` (when a tick is due, or after
/// every drain with `evaluate_every = "0s"`) → `release` (when a release
/// tick is due) → `publish` (when a summary check is due) → `maintain` (at
/// most hourly) → `wait`. Then:
///
/// - READY comes after the first `prepare`, succeeded or not: a backlog must
///   not hold up start-up, and a degraded daemon is up and will recover.
/// - A failure ends the pass: degraded is notified once, and the pass is
///   tried again after a back-off doubling from `retryFirst` to `retryLast`.
///   The next pass that gets through notifies resumed.
/// - Ticks are aligned (`Tick.nextTick`); a process that slept past several
///   ticks evaluates once, not once per tick.
/// - Alerts leave only at release ticks (`Settings.releaseEvery`, aligned
///   like evaluation ticks; `AlertRelease`): the first release tick at or
///   after the start, then every one, stamped with the latest release tick
///   at or before the clock, while alerts are held (`evaluated`; after
///   `evaluatedNoneHeld` no release tick wakes the loop, and the next held
///   alert waits for the first tick at or after its decision). A release
///   comes before the summary check of
///   the same pass, so a summary sees the alerts released before it. A
///   release in parts (`releasedInPart`) drains the spool (and evaluates,
///   when due) between parts, all of them at the same tick.
/// - Summaries are checked at start and then at `SummarySchedule.nextCheck`.
/// - The watchdog is pinged from the loop itself, while it works or waits,
///   degraded included, so that a hung loop stops the pings.
/// - A failure no retry can mend (`failedForGood`: a store written by a
///   newer vertrouwd) ends the loop at once, without a back-off.
/// - `reload` comes once the action in hand is done, its outcome handled:
///   the next tick is planned again from the last evaluation under the new
///   interval (at once when one is overdue), the summary is checked and
///   maintenance runs in the pass that follows; READY, degraded, the back-off
///   and the watchdog carry on.
/// - `stop` ends the loop once the action in hand is done.
public struct Scheduler: Sendable {
    public private(set) var settings: Settings

    private enum Phase: Sendable, Equatable {
        case notStarted
        case running
        /// Degraded: the next pass starts at this monotonic instant.
        case backingOff(retryAt: Int64)
        case waiting
        case ended
    }

    private var phase = Phase.notStarted
    private var announcedReady = false
    private var degraded: String?
    private var retryDelay: Int64
    /// Wall clock, seconds. Zero: evaluate on the first pass.
    private var nextEvaluation: Int64 = 0
    /// When the evaluation in hand was asked for.
    private var evaluationAt: Int64 = 0
    /// The instant of the last evaluation that finished; nil before one.
    private var lastEvaluated: Int64?
    /// Wall clock, seconds. Zero: check on the first pass (catch-up).
    private var summaryDue: Int64 = 0
    /// Wall clock, seconds: the next release tick (set at `started`).
    private var nextRelease: Int64 = 0
    /// The tick of the release in hand, and of the last one that finished.
    private var releaseTick: Int64 = 0
    private var lastReleased: Int64?
    /// A release at `releaseTick` has released part of its alerts.
    private var releaseInHand = false
    /// Whether alerts wait for a release (the last evaluation said so, or
    /// a release failed or went in parts): only then does a release tick
    /// wake the loop.
    private var holding = false
    /// An evaluation between the parts of a release held new alerts: they
    /// wait for the next tick.
    private var heldDuringRelease = false
    /// Wall clock, seconds; nil until the first maintenance.
    private var lastMaintenance: Int64?
    /// Monotonic; nil until the first ping.
    private var lastAlive: Int64?

    public init(settings: Settings) {
        self.settings = settings
        self.retryDelay = settings.retryFirst
    }

    /// Whether the loop has ended (`exit` was returned).
    public var hasEnded: Bool { phase == .ended }

    /// The next step after `event`, with the clock read after it.
    public mutating func handle(_ event: Event, now: Time) -> Step {
        var step = decide(event, now: now)
        if step.action != .exit, announcedReady, watchdogDue(now) {
            lastAlive = now.monotonic
            step.notifications.append(.watchdog)
        }
        if case .wait(let ms) = step.action, let left = watchdogLeft(now) {
            step.action = .wait(milliseconds: max(0, min(ms, left)))
        }
        return step
    }

    /// Whether to ping the watchdog now, in the middle of a long action (a
    /// drain of a large backlog calls this after every batch).
    public mutating func heartbeat(now: Time) -> Bool {
        guard announcedReady, phase != .ended, watchdogDue(now) else { return false }
        lastAlive = now.monotonic
        return true
    }

    private mutating func decide(_ event: Event, now: Time) -> Step {
        if phase == .ended { return Step(.exit) }
        switch event {
        case .stop, .failedForGood:
            phase = .ended
            return Step(.exit)
        case .reload(let new):
            return reload(new, now)
        case .started:
            precondition(phase == .notStarted, "a scheduler is started once")
            phase = .running
            if let every = settings.releaseEvery {
                nextRelease = AlertRelease.tick(forDecisionAt: now.wallSeconds, every: every, in: settings.zone)
            }
            return Step(.prepare)
        case .woke:
            if case .backingOff(let retryAt) = phase, now.monotonic < retryAt {
                // Woken early (a new file, or for the watchdog): the back-off stands.
                return Step(.wait(milliseconds: retryAt - now.monotonic))
            }
            phase = .running
            return Step(.prepare)
        case .prepared:
            return Step(readyOnce(), .drain)
        case .drained:
            let at = now.wallSeconds
            if settings.evaluateEvery.seconds == 0 || at >= nextEvaluation {
                evaluationAt = at
                return Step(.evaluate(at: at))
            }
            return afterEvaluation(now)
        case .evaluated, .evaluatedNoneHeld:
            if event == .evaluatedNoneHeld {
                if !releaseInHand { holding = false }
            } else if releaseInHand {
                heldDuringRelease = true
            } else if !holding, let every = settings.releaseEvery {
                // The first tick at or after the decision, never one before
                // it: the ticks passed while nothing was held.
                holding = true
                nextRelease = max(nextRelease, AlertRelease.tick(forDecisionAt: evaluationAt, every: every, in: settings.zone))
            }
            lastEvaluated = evaluationAt
            nextEvaluation = Tick.nextTick(after: evaluationAt, every: settings.evaluateEvery, in: settings.zone)
            return afterEvaluation(now)
        case .releasedInPart:
            releaseInHand = true
            return Step(.drain)
        case .released:
            releaseInHand = false
            holding = heldDuringRelease
            heldDuringRelease = false
            lastReleased = releaseTick
            if let every = settings.releaseEvery {
                nextRelease = Tick.nextTick(after: releaseTick, every: every, in: settings.zone)
            }
            return summaryCheck(now)
        case .published(let nextDue):
            summaryDue = nextDue
            return passSucceeded(now)
        case .maintained:
            return idle(now, [])
        case .failed(let reason):
            // A retry plans its release afresh (at the latest tick then).
            // (`holding` stays set, as only a held alert starts a release,
            // and so does `heldDuringRelease`: those alerts still wait for
            // the tick after the retried release.)
            releaseInHand = false
            var notifications = readyOnce()
            if degraded == nil { notifications.append(.degraded(reason: reason)) }
            degraded = reason
            let retryAt = now.monotonic + retryDelay
            phase = .backingOff(retryAt: retryAt)
            let step = Step(notifications, .wait(milliseconds: retryDelay))
            retryDelay = min(retryDelay * 2, settings.retryLast)
            return step
        }
    }

    /// New settings: plan again, and start a new pass with them (the step
    /// the outcome before led to is dropped; the new pass does it again
    /// where it is still due).
    private mutating func reload(_ new: Settings, _ now: Time) -> Step {
        settings = new
        nextEvaluation = lastEvaluated.map { Tick.nextTick(after: $0, every: new.evaluateEvery, in: new.zone) } ?? 0
        if let every = new.releaseEvery {
            nextRelease = lastReleased.map { Tick.nextTick(after: $0, every: every, in: new.zone) }
                ?? AlertRelease.tick(forDecisionAt: now.wallSeconds, every: every, in: new.zone)
        }
        summaryDue = 0
        lastMaintenance = nil
        releaseInHand = false
        if case .backingOff(let retryAt) = phase, now.monotonic < retryAt {
            return Step(.wait(milliseconds: retryAt - now.monotonic))
        }
        phase = .running
        return Step(.prepare)
    }

    private mutating func readyOnce() -> [Notification] {
        if announcedReady { return [] }
        announcedReady = true
        return [.ready]
    }

    private mutating func afterEvaluation(_ now: Time) -> Step {
        let at = now.wallSeconds
        if releaseInHand { return Step(.release(at: releaseTick)) }
        if let every = settings.releaseEvery, holding, at >= nextRelease {
            releaseTick = AlertRelease.latestTick(atOrBefore: at, every: every, in: settings.zone)
            return Step(.release(at: releaseTick))
        }
        return summaryCheck(now)
    }

    private mutating func summaryCheck(_ now: Time) -> Step {
        let at = now.wallSeconds
        if at >= summaryDue { return Step(.publish(at: at)) }
        // No summary check due: the pass is through.
        return passSucceeded(now)
    }

    /// Drain, evaluation and summary check got through: resumed if it was
    /// degraded, then maintenance when due.
    private mutating func passSucceeded(_ now: Time) -> Step {
        var notifications: [Notification] = []
        if degraded != nil {
            notifications.append(.resumed)
            degraded = nil
        }
        retryDelay = settings.retryFirst
        let at = now.wallSeconds
        if let last = lastMaintenance, at - last < settings.maintenanceEvery, at >= last {
            return idle(now, notifications)
        }
        lastMaintenance = at
        return Step(notifications, .maintain(at: at))
    }

    /// The pass is done: wait until the next thing falls due.
    private mutating func idle(_ now: Time, _ notifications: [Notification]) -> Step {
        phase = .waiting
        var wait = settings.rescan.seconds * 1_000
        if settings.evaluateEvery.seconds > 0 { wait = min(wait, nextEvaluation * 1_000 - now.wall) }
        if settings.releaseEvery != nil, holding { wait = min(wait, nextRelease * 1_000 - now.wall) }
        wait = min(wait, summaryDue * 1_000 - now.wall)
        if let last = lastMaintenance { wait = min(wait, (last + settings.maintenanceEvery) * 1_000 - now.wall) }
        return Step(notifications + [.idle], .wait(milliseconds: max(0, wait)))
    }

    private func watchdogDue(_ now: Time) -> Bool {
        guard settings.watchdog != nil else { return false }
        guard let left = watchdogLeft(now) else { return false }
        return left <= 0
    }

    /// Milliseconds until the next watchdog ping: at nine tenths of the
    /// interval, so that a ping is never late for it.
    private func watchdogLeft(_ now: Time) -> Int64? {
        guard let every = settings.watchdog, announcedReady else { return nil }
        guard let last = lastAlive else { return 0 }
        return last + every * 9 / 10 - now.monotonic
    }
}
