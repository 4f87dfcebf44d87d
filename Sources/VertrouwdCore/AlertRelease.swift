import Foundation

/// When a decided alert may leave, and whether it may leave at all
/// (issue 13, findings 8 and 9). Pure: the daemon's `AlertEvaluator` holds
/// the decisions and carries these rules out.
///
/// - Timing (finding 9): the rules may be evaluated after every ingest
///   batch, but an alert leaves only at a release tick: the local wall
///   clock's multiples of `alerts.release_every` (default 15 minutes, so
///   :00, :15, :30, :45), aligned as `Tick` aligns them across DST. It is
///   stamped with that tick (the outbox's `created_at`, the e-mail's Date
///   header), so its arrival and its headers say in which release slot the
///   group reached its band, nothing finer.
/// - Freeze (finding 8): no alert leaves for a window that lies in or
///   overlaps a week up to the last published summary. That week's
///   disclosure check never saw it; the signals stay counted in the store.
public enum AlertRelease {
    /// The release tick of a decision made at `instant`: the first tick at
    /// or after it.
    public static func tick(forDecisionAt instant: Int64, every: Interval, in zone: TimeZone) -> Int64 {
        precondition(every.seconds > 0, "a release interval is positive")
        return Tick.nextTick(after: instant - 1, every: every, in: zone)
    }

    /// The latest release tick at or before `now`: the stamp of what a
    /// release at `now` sends (a process that slept past several ticks
    /// releases once, stamped with the last of them).
    public static func latestTick(atOrBefore now: Int64, every: Interval, in zone: TimeZone) -> Int64 {
        precondition(every.seconds > 0, "a release interval is positive")
        // Ticks are at most `every` apart, or an hour more across a change
        // of offset (a daily tick spans 25 hours on a day that falls back):
        // the latest tick is after `start`.
        let wide = now - every.seconds - 3_600 - 1
        let start = WindowCalendar.offset(at: wide, in: zone) == WindowCalendar.offset(at: now, in: zone)
            ? now - every.seconds - 1 : wide
        var latest = Tick.nextTick(after: start, every: every, in: zone)
        while true {
            let next = Tick.nextTick(after: latest, every: every, in: zone)
            if next > now { return latest }
            latest = next
        }
    }

    /// The instant up to which weeks are closed to alerts: the end of the
    /// last published week, or nil before any summary was published.
    ///
    /// Weeks are published oldest first, so every week before the last
    /// published one is published too, or was passed over for good (before
    /// the store existed, or past `catch_up_weeks`): none of them gets an
    /// alert any more.
    public static func frozenUntil(lastPublishedWeekStart: Int64?, in zone: TimeZone) -> Int64? {
        lastPublishedWeekStart.map { Window.containing($0, kind: .week, in: zone).end }
    }

    /// Whether `window` lies in or overlaps a frozen week.
    public static func isFrozen(_ window: Window, frozenUntil: Int64?) -> Bool {
        guard let frozenUntil else { return false }
        return window.start < frozenUntil
    }

    /// Splits decisions into those that may leave and those for a frozen
    /// week, each in the order given.
    public static func partition(_ decisions: [AlertDecision], frozenUntil: Int64?)
        -> (release: [AlertDecision], frozen: [AlertDecision]) {
        var release: [AlertDecision] = []
        var frozen: [AlertDecision] = []
        for decision in decisions {
            if isFrozen(decision.window, frozenUntil: frozenUntil) { frozen.append(decision) } else { release.append(decision) }
        }
        return (release, frozen)
    }
}

/// Alert decisions made since the last release tick, waiting for it.
///
/// Two decisions for the same rule, window and group (the count crossed a
/// band, then the next one, before the tick) become one: the higher band
/// is announced, every band is recorded, and it is an escalation only when
/// the first of them was (nothing was announced for the group before).
/// Held decisions are not yet in the store's alert log; a crash or reload
/// drops them and the next full evaluation decides them again.
public struct HeldAlerts: Sendable {
    struct Slot: Hashable, Sendable {
        var rule: String
        var windowStart: Int64
        var group: GroupKey
    }

    private var held: [Slot: AlertDecision] = [:]
    /// Slots in the order first held.
    private var order: [Slot] = []

    public init() {}

    public var isEmpty: Bool { held.isEmpty }
    public var count: Int { held.count }

    /// Every held decision, in the order first held.
    public var decisions: [AlertDecision] { order.compactMap { held[$0] } }

    /// Every alert-log key the held decisions settle: a full evaluation
    /// must treat them as logged, or it would decide them twice.
    public var keys: Set<AlertKey> { Set(held.values.flatMap(\.logKeys)) }

    /// Adds decisions, merging those of a group already held.
    public mutating func hold(_ decisions: [AlertDecision]) {
        for decision in decisions {
            let slot = Slot(rule: decision.rule, windowStart: decision.window.start, group: decision.group)
            guard var earlier = held[slot] else {
                held[slot] = decision
                order.append(slot)
                continue
            }
            let later = decision.atLeast >= earlier.atLeast ? decision : earlier
            let lower = decision.atLeast >= earlier.atLeast ? earlier : decision
            var keys = lower.logKeys
            for key in later.logKeys where !keys.contains(key) { keys.append(key) }
            earlier.atLeast = later.atLeast
            earlier.severity = later.severity
            earlier.window = later.window
            earlier.logKeys = keys.sorted { $0.band < $1.band }
            held[slot] = earlier
        }
    }

    /// Takes every held decision out, in the order first held.
    public mutating func take() -> [AlertDecision] {
        defer {
            held.removeAll()
            order.removeAll()
        }
        return decisions
    }
}
