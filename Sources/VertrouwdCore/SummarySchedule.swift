import Foundation

/// When weekly summaries are due (`summary.schedule`, default "mon 07:30";
/// DESIGN §8). A week's summary is published once, after the week closed,
/// and never revised (P7).
public enum SummarySchedule {
    /// The instant at which the summary of `week` is due: the schedule's
    /// weekday and local time in the FOLLOWING ISO week.
    ///
    /// A local time that does not exist that day (02:30 on the last Sunday
    /// of March in Europe/Amsterdam) is due at the first valid instant after
    /// it (03:00 CEST); one that exists twice (the last Sunday of October)
    /// is due at its first occurrence only.
    public static func dueInstant(of week: Window, schedule: WeeklySchedule, zone: TimeZone) -> Int64 {
        // The next week's Monday, as a local day number. `week.end` is the
        // first instant of that Monday (or of a gap swallowing its midnight).
        let nextMonday = WindowCalendar.localDay(week.end, in: zone)
        let day = nextMonday + Int64(weekdayIndex(schedule.weekday))
        let wall = day * WindowCalendar.secondsPerDay + Int64(schedule.hour) * 3_600 + Int64(schedule.minute) * 60
        return WindowCalendar.instant(forWall: wall, in: zone)
    }

    /// The closed ISO weeks whose summary is due at `now` and not yet
    /// published, oldest first.
    ///
    /// - The latest due week is the last closed week whose due instant has
    ///   passed (at Monday 07:00 with "mon 07:30" that is two weeks back).
    /// - Missed weeks (after downtime) are caught up: at most `catchUpWeeks`
    ///   before the latest due week, and only those after `lastPublished`.
    ///   Older missed weeks are given up: a summary that late helps no one,
    ///   and the history they would have fed into trends stays unpublished.
    /// - With no summary published yet (a new install) only the latest due
    ///   week is returned: there is nothing "missed" before the first run.
    /// - `lastPublished` at or after the latest due week returns [].
    public static func dueWeeks(
        now: Int64, schedule: WeeklySchedule, zone: TimeZone,
        lastPublished: Window?, catchUpWeeks: Int
    ) -> [Window] {
        var latest = Window.containing(now, kind: .week, in: zone).previous(in: zone)
        if dueInstant(of: latest, schedule: schedule, zone: zone) > now {
            latest = latest.previous(in: zone)
        }
        guard let published = lastPublished else { return [latest] }
        var weeks: [Window] = []
        var week = latest
        while week.start > published.start, weeks.count <= max(0, catchUpWeeks) {
            weeks.insert(week, at: 0)
            week = week.previous(in: zone)
        }
        return weeks
    }

    /// Monday = 0 … Sunday = 6.
    static func weekdayIndex(_ weekday: WeeklySchedule.Weekday) -> Int {
        switch weekday {
        case .monday: 0
        case .tuesday: 1
        case .wednesday: 2
        case .thursday: 3
        case .friday: 4
        case .saturday: 5
        case .sunday: 6
        }
    }
}
