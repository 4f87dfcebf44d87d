import Foundation

// Pupils — what k counts (issue 13, DESIGN §6 P10).
//
// Every threshold, band, summary cell and suppression decision counts
// distinct pupils, never signals. A pupil is known to vertrouwd only as a
// `PupilID`: 64 bits of a keyed hash of the signal's `subject` under a key
// of the signal's ISO week (local, in the school's zone), so one pupil has
// one id within a week and unrelated ids in different weeks. A signal
// without a subject stands for "one pupil of its source" in its week: all
// such signals of one source and week share one id, so they count as at
// most one pupil per source and window — a lower bound, never more.
//
// When a week is frozen and past `ingest.max_age` its key is destroyed and
// its ids are condensed to a number per bucket profile (the store's
// `shred`). `SyntheticPupils` stands in for those numbers: ids that are
// distinct from each other and from every other bucket's, so that a union
// of condensed buckets adds them up.

/// 64 bits of a pupil's week-keyed pseudonym, as the store keeps it.
public typealias PupilID = UInt64

/// The week whose key a bucket hour's pupils are re-keyed under: the local
/// ISO week (Monday to Sunday in the school's zone) of the window the hour
/// counts in, so a day or week window never mixes two keys.
public enum PupilWeek {
    /// Weeks since Monday 1970-01-05 (local) of the week in which bucket
    /// hour `hour` (UTC hours since the epoch) counts.
    public static func ordinal(ofHour hour: Int64, in zone: TimeZone) -> Int64 {
        ordinal(containing: hour * 3_600, in: zone)
    }

    /// The week window of an ordinal.
    public static func window(ordinal: Int64, in zone: TimeZone) -> Window {
        Window.weekWindow(monday: ordinal * 7 + 4, in: zone)
    }

    /// The ordinal of the week window containing `instant`.
    public static func ordinal(containing instant: Int64, in zone: TimeZone) -> Int64 {
        ordinal(wall: WindowCalendar.wall(instant, in: zone))
    }

    /// The ordinal of the local week of a wall-clock time (local time read
    /// as if it were UTC, as `WindowCalendar.wall` gives it), for a caller
    /// that knows the zone's offset rather than the zone.
    public static func ordinal(wall: Int64) -> Int64 {
        WindowCalendar.floorDiv(WindowCalendar.floorDiv(wall, WindowCalendar.secondsPerDay) - 4, 7)
    }
}

extension PupilWeek {
    /// The oldest week whose pupils must still be kept at `now`: every
    /// week before it is frozen and past max_age, so it can be shredded.
    ///
    /// A week is kept while a late signal may still count in it (it ends
    /// after `now − maxAge`) and while its summary may still be published:
    /// it is after the last published week, not given up by the catch-up
    /// limit (`SummarySchedule.dueWeeks`), and not a week that ended before
    /// the store was created (those are never published).
    public static func keptFrom(
        now: Int64, maxAge: Int64, zone: TimeZone,
        lastPublished: Window?, catchUpWeeks: Int, createdAt: Int64
    ) -> Int64 {
        let current = ordinal(containing: now, in: zone)
        let open = ordinal(containing: now - maxAge, in: zone)
        var publishable = lastPublished.map { ordinal(containing: $0.start, in: zone) + 1 } ?? current - 1
        publishable = max(publishable, current - 2 - Int64(max(0, catchUpWeeks)), ordinal(containing: createdAt, in: zone))
        return min(open, publishable, current)
    }
}

/// Ids standing for pupils of whom only the number is known (a condensed
/// week, a test's bucket given by its count): `count` ids, distinct from
/// each other, derived from `seed` so that buckets with different seeds
/// get ids that do not meet (64-bit mixing; a collision is as unlikely as
/// one between two real pseudonyms).
public enum SyntheticPupils {
    public static func ids(seed: UInt64, count: Int) -> [PupilID] {
        (0..<max(0, count)).map { mix(seed &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
    }

    /// A 64-bit seed from text (FNV-1a), for buckets named by their values.
    public static func seed(_ parts: [String], hour: Int64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
            }
            hash = (hash ^ 0xFF) &* 0x100_0000_01B3
        }
        return mix(hash ^ UInt64(bitPattern: hour))
    }

    /// splitmix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
