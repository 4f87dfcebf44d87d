import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// What IT's weekly health report reads of the outbox (issue 15 §3,
/// s7-health): per route, the entries delivered and given up whose last
/// attempt falls in the week, both stores alike.
@Suite struct SettledDeliveriesTests {
    static func entry(_ id: String, route: OutboxEntry.Route) -> OutboxEntry {
        OutboxEntry(id: id, recipient: "vp", route: route, kind: "alert", createdAt: 100,
                    subject: "s", text: "t", html: "h", json: "{}")
    }

    @Test(arguments: StoreKind.allCases)
    func countsPerRouteWithinTheSpanOnly(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try kind.make(in: scratch)
        #expect(try store.settledDeliveries(from: 0, to: 1_000).isEmpty)
        try store.enqueue(["a", "b", "c", "d", "e", "f"].map { Self.entry($0, route: .socket) } + [Self.entry("m", route: .email)])
        try store.settle(id: "a", recipient: "vp", route: .socket, outcome: .delivered, now: 200)
        try store.settle(id: "b", recipient: "vp", route: .socket, outcome: .delivered, now: 300)
        try store.settle(id: "c", recipient: "vp", route: .socket, outcome: .failed(reason: "refused"), now: 400)
        try store.settle(id: "d", recipient: "vp", route: .socket, outcome: .retry(at: 900, reason: "down"), now: 400)
        try store.settle(id: "e", recipient: "vp", route: .socket, outcome: .delivered, now: 1_000) // the span's end is outside
        try store.settle(id: "f", recipient: "vp", route: .socket, outcome: .delivered, now: 199)   // before it
        try store.settle(id: "m", recipient: "vp", route: .email, outcome: .failed(reason: "too old"), now: 500)
        #expect(try store.settledDeliveries(from: 200, to: 1_000) == [.socket: SettledCounts(delivered: 2, givenUp: 1),
                                                                       .email: SettledCounts(delivered: 0, givenUp: 1)])
    }
}
