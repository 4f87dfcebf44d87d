import Foundation
import Testing
import VertrouwdCore

/// A clock the test moves by hand: the wall clock and the monotonic clock
/// advance together unless a test sets the wall clock apart.
struct ManualClock {
    var time: Scheduler.Time

    /// Starts at `wall` (seconds since the epoch); monotonic starts at 0.
    init(wall seconds: Int64) {
        time = Scheduler.Time(wall: seconds * 1_000, monotonic: 0)
    }

    var seconds: Int64 { time.wallSeconds }

    mutating func advance(milliseconds: Int64) {
        time.wall += milliseconds
        time.monotonic += milliseconds
    }

    mutating func advance(seconds: Int64) { advance(milliseconds: seconds * 1_000) }

    /// Moves both clocks to wall instant `seconds`.
    mutating func set(wall seconds: Int64) { advance(milliseconds: seconds * 1_000 - time.wall) }
}

/// A scheduler driven through whole passes: every action succeeds (unless
/// `outcome` says otherwise) and every wait runs to its end.
struct SchedulerDriver {
    var scheduler: Scheduler
    var clock: ManualClock
    /// Every step returned, in order.
    var steps: [Scheduler.Step] = []
    /// What a summary check reports as its next due time.
    var nextSummaryCheck: (Int64) -> Int64 = { $0 + 7 * 86_400 }

    init(_ settings: Scheduler.Settings, wall: Int64) {
        scheduler = Scheduler(settings: settings)
        clock = ManualClock(wall: wall)
    }

    /// Feeds one event; returns the step.
    @discardableResult
    mutating func feed(_ event: Scheduler.Event) -> Scheduler.Step {
        let step = scheduler.handle(event, now: clock.time)
        steps.append(step)
        return step
    }

    /// Feeds events one after the other at the same instant; returns the
    /// last step.
    @discardableResult
    mutating func feed(_ first: Scheduler.Event, _ rest: Scheduler.Event...) -> Scheduler.Step {
        rest.reduce(feed(first)) { _, event in feed(event) }
    }

    /// The event an action reports when it succeeds (waits excepted).
    func success(of action: Scheduler.Action) -> Scheduler.Event {
        switch action {
        case .prepare: .prepared
        case .drain: .drained
        case .evaluate: .evaluated
        case .release: .released
        case .publish(let at): .published(nextDue: nextSummaryCheck(at))
        case .maintain: .maintained
        case .wait, .exit: .woke
        }
    }

    /// Carries out steps from `step` on, every action succeeding, until a
    /// wait; returns the steps of the pass (the wait included).
    mutating func pass(from step: Scheduler.Step) -> [Scheduler.Step] {
        var current = step
        var pass = [step]
        while true {
            switch current.action {
            case .wait, .exit: return pass
            default: current = feed(success(of: current.action))
            }
            pass.append(current)
        }
    }

    /// Runs the loop until the wall clock reaches `end` (seconds), sleeping
    /// through every wait; returns every step.
    mutating func run(until end: Int64, start: Scheduler.Event = .started) -> [Scheduler.Step] {
        var all = pass(from: feed(start))
        while clock.seconds < end {
            guard case .wait(let ms) = all.last?.action else { break }
            clock.advance(milliseconds: ms)
            all += pass(from: feed(.woke))
        }
        return all
    }
}

extension [Scheduler.Step] {
    var actions: [Scheduler.Action] { map(\.action) }
    var notifications: [Scheduler.Notification] { flatMap(\.notifications) }

    /// The instants (seconds) of the evaluations asked for.
    var evaluations: [Int64] {
        compactMap { if case .evaluate(let at) = $0.action { at } else { nil } }
    }

    /// The release ticks (seconds) of the releases asked for.
    var releases: [Int64] {
        compactMap { if case .release(let at) = $0.action { at } else { nil } }
    }

    var publications: [Int64] {
        compactMap { if case .publish(let at) = $0.action { at } else { nil } }
    }
}
