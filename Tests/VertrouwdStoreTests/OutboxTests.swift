import Foundation
import Testing
@testable import VertrouwdStore
import VertrouwdCore

func message(_ id: String, to recipient: String = "vp", route: OutboxEntry.Route = .email, at: Int64 = 1_000) -> OutboxEntry {
    OutboxEntry(id: id, recipient: recipient, route: route, kind: "alert", createdAt: at,
                subject: "Melding", text: "tekst", html: "<p>tekst</p>", json: #"{"type":"alert"}"#)
}

@Suite struct OutboxTests {
    @Test func anAlertIsRecordedOnceWithItsMessagesInOneTransaction() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        let key = AlertLogKey(rule: "sextortion-acuut", windowStart: 1_795_906_800, group: GroupKey([.site: .known("hoofdgebouw"), .channel: .known("instagram")]), band: 5)
        #expect(key.group == "channel=instagram;site=hoofdgebouw", "groups are canonical whatever their order")
        let first = try store.record([([key], [message("m1"), message("m1", route: .socket)])], now: 1_000)
        #expect(first == [key])
        // The same decision again (a restart, a reload): nothing new.
        let again = try store.record([([key], [message("m2")])], now: 2_000)
        #expect(again.isEmpty)
        #expect(try store.outbox().map(\.id) == ["m1", "m1"])
        #expect(try store.alertLog(since: 0) == [key])
        #expect(try store.alertLog(since: 1_795_906_801).isEmpty)
        #expect(try store.alertLog(since: 0).first?.groupKey() == GroupKey([.channel: .known("instagram"), .site: .known("hoofdgebouw")]))
    }

    @Test func aDecisionLogsEveryBandItCrossedAndSendsOnlyWhenItsOwnBandIsNew() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        let bands = [5, 10, 20].map { AlertLogKey(rule: "r", windowStart: 0, group: .wholeSchool, band: $0) }
        #expect(try store.record([(bands, [message("jump")])], now: 1) == [bands[2]])
        #expect(try store.alertLog(since: 0) == Set(bands))
        // Band 10 decided later (it cannot be: it is logged) adds nothing.
        #expect(try store.record([([bands[1]], [message("late")])], now: 2).isEmpty)
        #expect(try store.outbox().map(\.id) == ["jump"])
    }

    @Test func retriesKeepTheIdAndFinishedEntriesLeaveTheQueue() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        try store.enqueue([message("a", at: 100), message("b", at: 200)])
        #expect(try store.dueMessages(now: 150).map(\.id) == ["a"])
        try store.settle(id: "a", recipient: "vp", route: .email, outcome: .retry(at: 400, reason: "451 try later"), now: 150)
        #expect(try store.dueMessages(now: 300).map(\.id) == ["b"])
        #expect(try store.nextDueTime() == 200)
        try store.settle(id: "b", recipient: "vp", route: .email, outcome: .failed(reason: "550 no such user"), now: 300)
        let due = try store.dueMessages(now: 500)
        #expect(due.map(\.id) == ["a"])
        #expect(due.first?.attempts == 1)
        #expect(due.first?.lastError == "451 try later")
        try store.settle(id: "a", recipient: "vp", route: .email, outcome: .delivered, now: 500)
        #expect(try store.dueMessages(now: 10_000).isEmpty)
        #expect(try store.nextDueTime() == nil)
        #expect(try store.outbox().map(\.state) == [.delivered, .failed])
    }

    @Test func aPublishedWeekIsFrozen() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db)
        #expect(try store.publish(week: "2026-W48", windowStart: 100, json: "first", messages: [message("s1")], now: 1))
        #expect(try !store.publish(week: "2026-W48", windowStart: 100, json: "second", messages: [message("s2")], now: 2))
        #expect(try store.publishedSummary(week: "2026-W48") == "first")
        #expect(try store.outbox().map(\.id) == ["s1"], "a refused publication enqueues nothing")
        #expect(try store.lastPublishedWeekStart() == 100)
    }
}
