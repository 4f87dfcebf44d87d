import Foundation
import Testing
import VertrouwdCore

/// `[delivery] quiet`: when an alert e-mail due at a given instant may be
/// sent (issue 15 §2). Instants come from Foundation's calendar (`Clock`),
/// an oracle independent of the code under test.
@Suite("Quiet hours")
struct QuietHoursTests {
    let zone = Clock.amsterdam
    let night = QuietHours(parsing: "22:00-07:00")!

    @Test func parsesTwoDifferentTimes() {
        #expect(night.start == 22 * 3_600 && night.end == 7 * 3_600)
        #expect(night.description == "22:00-07:00")
        #expect(QuietHours(parsing: "12:00-13:30")?.end == 13 * 3_600 + 1_800)
        #expect(QuietHours(parsing: "00:00-23:59") != nil)
        for bad in ["22:00", "22-07", "24:00-07:00", "22:00-22:00", "7:00-22:00", "22:00-07:60", "22:00 - 07:00",
                    "22:00-07:00-08:00", "", "-", "22h00-07h00", "２２:00-07:00"] {
            #expect(QuietHours(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func outsideQuietHoursAnAlertGoesAtOnce() {
        for (h, m) in [(7, 0), (12, 0), (21, 59)] {
            let now = Clock.local(2026, 11, 30, h, m)
            #expect(night.release(at: now, severity: .medium, in: zone) == now, "\(h):\(m)")
        }
    }

    @Test func inQuietHoursAnAlertWaitsForTheirEnd() {
        // Evening: until tomorrow 07:00.
        #expect(night.release(at: Clock.local(2026, 11, 30, 22, 0), severity: .medium, in: zone) == Clock.local(2026, 12, 1, 7))
        #expect(night.release(at: Clock.local(2026, 11, 30, 23, 45), severity: .low, in: zone) == Clock.local(2026, 12, 1, 7))
        // After midnight: until 07:00 the same day.
        #expect(night.release(at: Clock.local(2026, 12, 1, 0, 0), severity: nil, in: zone) == Clock.local(2026, 12, 1, 7))
        #expect(night.release(at: Clock.local(2026, 12, 1, 6, 59), severity: .medium, in: zone) == Clock.local(2026, 12, 1, 7))
        // Quiet hours within one day.
        let lunch = QuietHours(parsing: "12:00-13:30")!
        #expect(lunch.release(at: Clock.local(2026, 12, 1, 12, 10), severity: .medium, in: zone) == Clock.local(2026, 12, 1, 13, 30))
        #expect(lunch.release(at: Clock.local(2026, 12, 1, 13, 30), severity: .medium, in: zone) == Clock.local(2026, 12, 1, 13, 30))
    }

    @Test func exceptedSeveritiesIgnoreQuietHours() {
        let q = QuietHours(parsing: "22:00-07:00", except: [.high])!
        let now = Clock.local(2026, 11, 30, 23)
        #expect(q.release(at: now, severity: .high, in: zone) == now)
        #expect(q.release(at: now, severity: .medium, in: zone) == Clock.local(2026, 12, 1, 7))
        // An alert whose severity is unknown waits.
        #expect(q.release(at: now, severity: nil, in: zone) == Clock.local(2026, 12, 1, 7))
    }

    /// The end is a local time: a night across a DST change lasts an hour
    /// more or less, and an end the clock skips releases when it resumes.
    @Test func dstChangesAreFollowed() {
        // Fall back on Sunday 2026-10-25 (03:00 CEST → 02:00 CET): 07:00 CET is 06:00 UTC.
        #expect(night.release(at: Clock.utc(2026, 10, 24, 20, 30), severity: .medium, in: zone) == Clock.utc(2026, 10, 25, 6))
        // Spring forward on Sunday 2027-03-28 (02:00 CET → 03:00 CEST): 07:00 CEST is 05:00 UTC.
        #expect(night.release(at: Clock.utc(2027, 3, 27, 22), severity: .medium, in: zone) == Clock.utc(2027, 3, 28, 5))
        // An end inside the skipped hour: released as the clock jumps (01:00 UTC).
        let skipped = QuietHours(parsing: "01:00-02:30")!
        #expect(skipped.release(at: Clock.utc(2027, 3, 28, 0, 30), severity: .medium, in: zone) == Clock.utc(2027, 3, 28, 1))
        // An end in the repeated hour: its first occurrence (02:30 CEST = 00:30 UTC)…
        let repeated = QuietHours(parsing: "22:00-02:30")!
        #expect(repeated.release(at: Clock.utc(2026, 10, 24, 21), severity: .medium, in: zone) == Clock.utc(2026, 10, 25, 0, 30))
        // …and at 02:10 CET, after that first occurrence, at once.
        let second = Clock.utc(2026, 10, 25, 1, 10)
        #expect(repeated.isQuiet(at: second, in: zone))
        #expect(repeated.release(at: second, severity: .medium, in: zone) == second)
    }

    /// Never earlier than asked, never past the next end: whatever the instant.
    @Test func releaseIsNeverEarlierNorLaterThanTheNextEnd() {
        var now = Clock.utc(2026, 10, 20)
        let stop = Clock.utc(2026, 11, 3)
        while now < stop {
            let release = night.release(at: now, severity: .medium, in: zone)
            #expect(release >= now)
            #expect(release - now <= 9 * 3_600 + 3_600, "at most the quiet hours, plus an hour across DST")
            #expect(!night.isQuiet(at: release, in: zone) || release == now)
            now += 7 * 60 + 13
        }
    }

    @Test func severityIsReadFromTheAlertJSON() {
        #expect(QuietHours.severity(ofAlertJSON: #"{"type":"alert","severity":"high"}"#) == .high)
        #expect(QuietHours.severity(ofAlertJSON: #"{"type":"alert","severity":"urgent"}"#) == nil)
        #expect(QuietHours.severity(ofAlertJSON: #"{"type":"alert"}"#) == nil)
        #expect(QuietHours.severity(ofAlertJSON: "not json") == nil)
    }
}
