import Foundation
import GRDB
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// What the health monitor and STATUS read of the outbox (issue 15 §1):
/// pending entries only, both stores alike.
@Suite struct PendingOutboxTests {
    static func entry(_ id: String, at: Int64) -> OutboxEntry {
        OutboxEntry(id: id, recipient: "vp", route: .socket, kind: "alert", createdAt: at,
                    subject: "s", text: "t", html: "h", json: "{}")
    }

    @Test(arguments: StoreKind.allCases)
    func countsPendingEntriesAndTheOldest(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try kind.make(in: scratch)
        let empty = try store.pendingOutboxSummary()
        #expect(empty.count == 0 && empty.oldest == nil)
        try store.enqueue([Self.entry("a", at: 100), Self.entry("b", at: 200), Self.entry("c", at: 300)])
        try store.settle(id: "a", recipient: "vp", route: .socket, outcome: .delivered, now: 400)
        try store.settle(id: "b", recipient: "vp", route: .socket, outcome: .retry(at: 500, reason: "down"), now: 400)
        let pending = try store.pendingOutboxSummary()
        #expect(pending.count == 2)
        #expect(pending.oldest == 200)
        try store.settle(id: "c", recipient: "vp", route: .socket, outcome: .failed(reason: "refused"), now: 400)
        let after = try store.pendingOutboxSummary()
        #expect(after.count == 1 && after.oldest == 200)
    }
}

extension PendingOutboxTests {
    @Test(arguments: StoreKind.allCases)
    func givenUpCountsOnlyFailuresAfterTheRoutesLastDelivery(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try kind.make(in: scratch)
        try store.enqueue((1...4).map { Self.entry("m\($0)", at: 100) })
        try store.settle(id: "m1", recipient: "vp", route: .socket, outcome: .failed(reason: "old"), now: 200)
        try store.settle(id: "m2", recipient: "vp", route: .socket, outcome: .delivered, now: 300)
        #expect(try store.givenUpSinceLastDelivery().isEmpty, "the delivery came after the failure")
        try store.settle(id: "m3", recipient: "vp", route: .socket, outcome: .failed(reason: "first"), now: 400)
        try store.settle(id: "m4", recipient: "vp", route: .socket, outcome: .failed(reason: "second"), now: 500)
        #expect(try store.givenUpSinceLastDelivery() == [.socket: GivenUp(count: 2, reason: "second", since: 400)])
    }
}

extension PendingOutboxTests {
    /// The health check reads the pending count and the oldest after every
    /// burst of deliveries: the outbox's due index answers it alone (v7),
    /// not the rows, which hold whole messages.
    @Test func thePendingSummaryIsReadFromTheIndexAlone() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db, now: 0)
        let plan = try store.queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT count(*) AS n, min(created_at) AS oldest FROM outbox_state WHERE state = 'pending'")
                .map { $0["detail"] as String }
        }
        #expect(plan == ["SEARCH outbox_state USING COVERING INDEX outbox_due (state=?)"], "\(plan)")
    }

    /// A settlement commits without an fsync of its own, and leaves the
    /// connection at synchronous = FULL for the commits that need one.
    @Test func aSettlementLeavesTheConnectionAtFullSynchronous() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db, now: 0)
        try store.enqueue([Self.entry("a", at: 100)])
        try store.settle(id: "a", recipient: "vp", route: .socket, outcome: .delivered, now: 200)
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2, "FULL")
        #expect(try store.pendingOutboxSummary().count == 0)
    }
}

extension PendingOutboxTests {
    /// A `StoreError` thrown inside a database closure (an unknown profile,
    /// a newer schema) reaches the caller as it is, not re-classified as
    /// an unknown error.
    @Test func aStoreErrorPassesThroughAsItIs() {
        let inner = StoreError(.corrupt, "state.db has a bucket of an unknown profile")
        let outer = StoreError(inner)
        #expect(outer.kind == .corrupt)
        #expect(outer.detail == inner.detail)
    }
}
