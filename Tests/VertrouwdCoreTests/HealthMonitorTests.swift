import Foundation
import Testing
import VertrouwdCore

/// What to tell IT and when (issue 15 §1): raised once, repeated at most
/// once per limit, cleared after it was told. A manual clock: `t` hours.
@Suite struct HealthMonitorTests {
    let email = HealthProblem.deliveryFailing(route: .email)
    let silent = HealthProblem.sourceSilent(source: "webfilter")
    func t(_ hours: Double) -> Int64 { 1_764_000_000 + Int64(hours * 3_600) }

    @Test func aNewProblemIsRaisedAtOnce() {
        var m = HealthMonitor(repeatEvery: .hours(6))
        #expect(m.step(active: [], now: t(0)).isEmpty)
        #expect(m.step(active: [email], now: t(1)) == [HealthNotice(problem: email, change: .raised, since: t(1))])
    }

    @Test func aLastingProblemIsToldAgainOnlyAfterTheLimit() {
        var m = HealthMonitor(repeatEvery: .hours(6))
        _ = m.step(active: [email], now: t(0))
        for hour in stride(from: 0.25, to: 6, by: 0.25) {
            #expect(m.step(active: [email], now: t(hour)).isEmpty, "hour \(hour)")
        }
        #expect(m.nextReminder() == t(6))
        #expect(m.step(active: [email], now: t(6)) == [HealthNotice(problem: email, change: .ongoing, since: t(0))])
        #expect(m.step(active: [email], now: t(7)).isEmpty)
    }

    @Test func aToldProblemThatGoesAwayIsCleared() {
        var m = HealthMonitor(repeatEvery: .hours(6))
        _ = m.step(active: [email, silent], now: t(0))
        #expect(m.step(active: [silent], now: t(2)) == [HealthNotice(problem: email, change: .cleared, since: t(0))])
        #expect(m.step(active: [silent], now: t(3)).isEmpty, "cleared once")
        #expect(m.openProblems == [silent: t(0)])
    }

    @Test func aFlappingProblemIsToldAtMostOncePerLimit() {
        var m = HealthMonitor(repeatEvery: .hours(6))
        var told: [HealthNotice] = []
        // Fails and recovers every half hour for a day.
        for step in 0..<48 {
            told += m.step(active: step % 2 == 0 ? [email] : [], now: t(Double(step) / 2))
        }
        let raised = told.filter { $0.change != .cleared }
        #expect(raised.count == 4, "once per 6 h over 24 h: \(raised)")
        #expect(told.filter { $0.change == .cleared }.count == raised.count, "each told problem is followed by its clearing")
    }

    @Test func aProblemThatCameAndWentUntoldIsNotCleared() {
        var m = HealthMonitor(repeatEvery: .hours(6))
        _ = m.step(active: [email], now: t(0))
        _ = m.step(active: [], now: t(1))
        // Back within the limit: held, not told …
        #expect(m.step(active: [email], now: t(2)).isEmpty)
        // … and gone again before the limit: nothing to clear.
        #expect(m.step(active: [], now: t(3)).isEmpty)
    }

    @Test func noticesComeWorstFirstAndClearingsLast() {
        var m = HealthMonitor(repeatEvery: .hours(6))
        _ = m.step(active: [silent], now: t(0))
        let notices = m.step(active: [.diskNearFull, email, .storeDegraded], now: t(1))
        #expect(notices.map(\.problem) == [email, .storeDegraded, .diskNearFull, silent])
        #expect(notices.map(\.change) == [.raised, .raised, .raised, .cleared])
    }
}

@Suite struct HealthFactsTests {
    @Test func aGivenUpMessageFailsItsRouteUntilADeliveryOnIt() {
        var f = HealthFacts()
        f.record(route: .email, delivered: false, reason: "550 mailbox unavailable", now: 10)
        f.record(route: .email, delivered: false, reason: "given up after 7d: timeout", now: 20)
        f.record(route: .socket, delivered: true, now: 25)
        #expect(f.failing[.email] == HealthFacts.RouteFailure(count: 2, reason: "given up after 7d: timeout", since: 10))
        #expect(f.problems(expectEvery: [:], now: 30) == [.deliveryFailing(route: .email)])
        f.record(route: .email, delivered: true, now: 40)
        #expect(f.problems(expectEvery: [:], now: 50).isEmpty)
    }

    @Test func aSourceIsSilentOnlyAfterItsLimit() {
        var f = HealthFacts()
        f.lastSeen = ["webfilter": 1_000, "helpknop": 1_000]
        let limits: [String: Interval] = ["webfilter": .hours(1)]
        #expect(f.problems(expectEvery: limits, now: 1_000 + 3_600).isEmpty, "exactly the limit is not yet silent")
        #expect(f.problems(expectEvery: limits, now: 1_000 + 3_601) == [.sourceSilent(source: "webfilter")])
    }

    @Test func aStoreThatCannotWriteAndAFullDiskAreProblems() {
        var f = HealthFacts()
        f.degradedReason = "disk full"
        f.disk = DiskSpace(free: 4 * 1_048_576 * 1_024, total: 100 * 1_048_576 * 1_024)
        #expect(f.problems(expectEvery: [:], now: 0) == [.storeDegraded, .diskNearFull])
        f.disk = DiskSpace(free: 6 * 1_048_576 * 1_024, total: 100 * 1_048_576 * 1_024)
        #expect(f.problems(expectEvery: [:], now: 0) == [.storeDegraded])
        #expect(DiskSpace(free: 50 * 1_048_576, total: 200 * 1_048_576).isNearFull, "under 100 MiB is near full on a small disk too")
    }
}

@Suite struct SourceActivityTests {
    @Test func aSourceIsSeenWhenItsDailyCountGrows() {
        var a = SourceActivity(sources: ["webfilter", "helpknop"], start: 100)
        a.observe(day: "2026-12-01", counts: ["webfilter": 5, "other": 9], now: 200)
        #expect(a.lastSeen == ["webfilter": 200, "helpknop": 100], "an unwatched source is not tracked")
        a.observe(day: "2026-12-01", counts: ["webfilter": 5], now: 300)
        #expect(a.lastSeen["webfilter"] == 200, "the same count is no new signal")
        a.observe(day: "2026-12-02", counts: [:], now: 400)
        a.observe(day: "2026-12-02", counts: ["webfilter": 1, "helpknop": 2], now: 500)
        #expect(a.lastSeen == ["webfilter": 500, "helpknop": 500])
    }

    @Test func aReloadWatchesNewSourcesFromNow() {
        var a = SourceActivity(sources: ["webfilter"], start: 100)
        a.watch(["helpknop"], now: 900)
        #expect(a.lastSeen == ["helpknop": 900])
    }
}

@Suite struct OutboxStatusTests {
    @Test func statusNamesTheOutbox() {
        #expect(OutboxStatus.line("watching the spool", waiting: 0, oldest: nil, now: 10_000) == "watching the spool")
        #expect(OutboxStatus.line("watching the spool", waiting: 3, oldest: 10_000 - 7_300, now: 10_000)
                == "watching the spool; 3 messages waiting, oldest 2 h")
        #expect(OutboxStatus.line("degraded: disk full", waiting: 1, oldest: 10_000 - 600, now: 10_000)
                == "degraded: disk full; 1 message waiting, oldest 10 min")
        #expect(OutboxStatus.line("watching the spool", waiting: 2, oldest: 0, now: 5 * 86_400)
                == "watching the spool; 2 messages waiting, oldest 5 days")
    }
}
