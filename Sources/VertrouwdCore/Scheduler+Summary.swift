import Foundation

extension SummarySchedule {
    /// The weeks to publish at `now`: `dueWeeks`, less those that ended
    /// before the store was created (a new install does not send summaries
    /// of weeks before it existed).
    public static func weeksToPublish(
        now: Int64, schedule: WeeklySchedule, zone: TimeZone,
        lastPublished: Window?, catchUpWeeks: Int, createdAt: Int64
    ) -> [Window] {
        dueWeeks(now: now, schedule: schedule, zone: zone, lastPublished: lastPublished, catchUpWeeks: catchUpWeeks)
            .filter { $0.end > createdAt }
    }

    /// When to check for summaries next, after a check at `now` published
    /// everything due: the due instant of the oldest week that is not
    /// published yet and will be.
    ///
    /// That is the last closed week when its summary is not due yet (a
    /// start on Monday 07:29 with "mon 07:30": due at 07:30 the same day),
    /// unless it is published already or ended before the store was
    /// created; else the current week. `catchUpWeeks` does not move it:
    /// the last closed week is always published when due, whatever
    /// the catch-up limit.
    public static func nextCheck(
        after now: Int64, schedule: WeeklySchedule, zone: TimeZone,
        lastPublished: Window?, createdAt: Int64
    ) -> Int64 {
        let current = Window.containing(now, kind: .week, in: zone)
        let closed = current.previous(in: zone)
        let closedDue = dueInstant(of: closed, schedule: schedule, zone: zone)
        let unpublished = lastPublished.map { closed.start > $0.start } ?? true
        if closedDue > now, unpublished, closed.end > createdAt { return closedDue }
        return dueInstant(of: current, schedule: schedule, zone: zone)
    }
}
