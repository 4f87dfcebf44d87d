import Foundation

/// The aligned instants at which rules are evaluated (`alerts.evaluate_every`,
/// DESIGN §5), so that an alert's arrival time reveals no more than its tick.
public enum Tick {
    /// The first tick strictly after `instant`.
    ///
    /// Ticks sit on the local wall clock: an instant is a tick when its local
    /// time of day (seconds since local midnight, as the clock shows it) is a
    /// multiple of `every`. So with "15m" every tick shows a local quarter
    /// hour, before and after a DST change, and ticks restart at every local
    /// midnight (an `every` that does not divide a day gives a shorter last
    /// interval; one of a day or more ticks at local midnight only).
    ///
    /// Across DST:
    /// - spring forward: wall times in the gap do not exist; if a tick's wall
    ///   time falls in the gap, the transition instant itself is a tick (the
    ///   first valid instant after it), so e.g. "2h" still ticks at 03:00
    ///   after 02:00 was skipped;
    /// - fall back: the repeated wall hour ticks twice (02:00 CEST and 02:00
    ///   CET). Evaluation is idempotent given the alert log, so a repeated
    ///   tick can only release decisions that are really new.
    ///
    /// `every` = zero means "right after every ingest batch": there is no
    /// clock-driven tick, and this returns `instant` itself (the caller
    /// evaluates now, and then again after the next batch).
    public static func nextTick(after instant: Int64, every: Interval, in zone: TimeZone) -> Int64 {
        let step = every.seconds
        guard step > 0 else { return instant }
        var from = instant + 1
        // Each turn either returns or moves `from` past one offset change;
        // a handful of turns covers any real zone.
        for _ in 0..<8 {
            let offset = WindowCalendar.offset(at: from, in: zone)
            let candidate = firstSlot(atOrAfter: from, offset: offset, step: step)
            let offsetThere = WindowCalendar.offset(at: candidate, in: zone)
            if offsetThere == offset { return candidate }
            // The offset changes in (from, candidate]: find the transition.
            var low = from, high = candidate
            while high - low > 1 {
                let mid = low + (high - low) / 2
                if WindowCalendar.offset(at: mid, in: zone) == offset { low = mid } else { high = mid }
            }
            let transition = high
            let newOffset = WindowCalendar.offset(at: transition, in: zone)
            if newOffset > offset {
                // Wall times [T + old, T + new) are skipped; a slot among
                // them fires at T.
                let skippedSlot = firstSlotWall(atOrAfter: transition + offset, step: step)
                if skippedSlot < transition + newOffset { return transition }
            }
            from = transition
        }
        return firstSlot(atOrAfter: from, offset: WindowCalendar.offset(at: from, in: zone), step: step)
    }

    /// Every tick in `start ..< end`, in order (for tests and catch-up).
    public static func ticks(from start: Int64, to end: Int64, every: Interval, in zone: TimeZone) -> [Int64] {
        guard every.seconds > 0 else { return [] }
        var result: [Int64] = []
        var t = nextTick(after: start - 1, every: every, in: zone)
        while t < end {
            result.append(t)
            t = nextTick(after: t, every: every, in: zone)
        }
        return result
    }

    /// The smallest instant ≥ `from` whose wall time, read with a constant
    /// `offset`, is on a slot.
    static func firstSlot(atOrAfter from: Int64, offset: Int64, step: Int64) -> Int64 {
        firstSlotWall(atOrAfter: from + offset, step: step) - offset
    }

    /// The smallest wall time ≥ `wall` that is a multiple of `step` after its
    /// local midnight (or the next local midnight).
    static func firstSlotWall(atOrAfter wall: Int64, step: Int64) -> Int64 {
        let day = WindowCalendar.floorDiv(wall, WindowCalendar.secondsPerDay) * WindowCalendar.secondsPerDay
        let secondOfDay = wall - day
        let slot = WindowCalendar.ceilDiv(secondOfDay, step) * step
        return slot >= WindowCalendar.secondsPerDay ? day + WindowCalendar.secondsPerDay : day + slot
    }
}
