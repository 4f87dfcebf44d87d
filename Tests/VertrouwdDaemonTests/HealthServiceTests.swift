import Foundation
import Logging
import Synchronization
import Testing
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore
@testable import VertrouwdDaemon

/// The daemon's side of health messages (issue 15 §1), on the in-memory
/// store and transports with a manual clock: what the Core decides is
/// queued for the health recipient, or sent at once when the store cannot
/// take it; STATUS names the outbox.
@Suite struct HealthServiceTests {
    static let start: Int64 = 1_796_000_000

    static func configuration() throws -> Configuration {
        try schoolConfiguration(root: "/nonexistent", extra: """
            [[recipient]]
            name = "ict"
            receives = ["health"]
            """).withSilenceLimit("webfilter", .hours(1))
    }

    /// What the closures share: the manual clock, the STATUS lines, whether the store opens.
    final class Shared: Sendable {
        let clock = Mutex(HealthServiceTests.start)
        let statuses = Mutex<[String]>([])
        let storeOpens = Mutex(true)
    }

    final class Fixture: Sendable {
        let store = MemoryStore(now: HealthServiceTests.start)
        let shared = Shared()
        let log = RecordingLog()
        let socket = RecordingTransport()
        let delivery: DeliveryService
        let health: HealthService

        init(configuration: Configuration) {
            let store = self.store, shared = self.shared
            let open: @Sendable () throws -> any StateStore = {
                guard shared.storeOpens.withLock({ $0 }) else { throw StoreError(.full, "database or disk is full") }
                return store
            }
            delivery = DeliveryService(openStore: open, configuration: configuration, transports: [.socket: socket],
                                       doorbell: Doorbell(), logger: log.logger, clock: { shared.clock.withLock { $0 } })
            health = HealthService(configuration: configuration, openStore: open, delivery: delivery, outboxBell: Doorbell(),
                                   logger: log.logger, clock: { shared.clock.withLock { $0 } },
                                   diskSpace: { _ in DiskSpace(free: 50 << 30, total: 100 << 30) },
                                   onStatus: { s in shared.statuses.withLock { $0.append(s) } })
        }

        func advance(_ seconds: Int64) { shared.clock.withLock { $0 += seconds } }
        var statuses: [String] { shared.statuses.withLock { $0 } }

        func healthEntries() throws -> [OutboxEntry] { try store.outbox().filter { $0.kind == "health" } }
    }

    @Test func aSilentSourceIsToldToTheHealthRecipientOnceWithinTheLimit() async throws {
        let f = Fixture(configuration: try Self.configuration())
        await f.health.check()
        #expect(try f.healthEntries().isEmpty, "silent for less than expect_every")
        f.advance(3_601)
        await f.health.check()
        let entries = try f.healthEntries()
        #expect(entries.map(\.recipient) == ["ict"], "only the health recipient")
        #expect(entries.map(\.route) == [.socket])
        let json = try #require(entries.first?.json)
        #expect(json.contains(#""problem":"source_silent.webfilter","change":"raised""#), "\(json)")
        #expect(f.log.count(containing: "health: source_silent.webfilter raised") == 1)
        f.advance(600)
        await f.health.check()
        #expect(try f.healthEntries().count == 1, "rate-limited: one per problem per 6 h")
    }

    @Test func aGivenUpDeliveryRaisesAndALaterDeliveryClearsIt() async throws {
        let f = Fixture(configuration: try Self.configuration().withSilenceLimit("webfilter", nil))
        await f.socket.enqueue(.permanent("no such receiver"))
        try f.store.enqueue([OutboxEntry(id: "a1", recipient: "vp", route: .socket, kind: "alert", createdAt: Self.start,
                                         subject: "s", text: "t", html: "h", json: "{}")])
        try await f.delivery.deliverRound(.socket, store: f.store)
        await f.health.check()
        let raised = try f.healthEntries()
        #expect(raised.count == 1)
        #expect(raised.first?.json.contains(#""problem":"delivery_failing.socket","change":"raised""#) == true)
        #expect(raised.first?.socketText.contains("1 bericht opgegeven (laatste reden: no such receiver)") == true, "\(raised.first?.socketText ?? "")")
        // The health message itself is delivered on the socket: that clears it.
        f.advance(60)
        try await f.delivery.deliverRound(.socket, store: f.store)
        await f.health.check()
        let all = try f.healthEntries()
        #expect(all.count == 2)
        #expect(all.last?.json.contains(#""problem":"delivery_failing.socket","change":"cleared""#) == true)
        #expect(f.log.count(containing: "health: delivery_failing.socket cleared") == 1)
    }

    @Test func aStoreThatCannotWriteIsToldAtOnceByTheRoutes() async throws {
        let f = Fixture(configuration: try Self.configuration().withSilenceLimit("webfilter", nil))
        f.shared.storeOpens.withLock { $0 = false }
        f.health.ingest(.degraded(reason: "cannot write the state database (full)"))
        await f.health.check()
        let sent = await f.socket.deliveries
        #expect(sent.count == 1)
        #expect(sent.first?.message.kind == .health)
        #expect(sent.first?.message.json.contains(#""problem":"store_degraded""#) == true)
        #expect(f.log.count(containing: "sent at once (the outbox cannot take it): delivered") == 1)
    }

    @Test func statusNamesTheOutboxWhileMessagesWait() async throws {
        let f = Fixture(configuration: try Self.configuration().withSilenceLimit("webfilter", nil))
        try f.store.enqueue((1...3).map { n in
            OutboxEntry(id: "m\(n)", recipient: "vp", route: .socket, kind: "alert", createdAt: Self.start,
                        subject: "s", text: "t", html: "h", json: "{}")
        })
        await f.health.check()
        #expect(f.statuses.isEmpty, "nothing before the ingest loop said what it does")
        f.health.ingest(.ready)
        f.advance(2 * 3_600 + 5)
        await f.health.check()
        #expect(f.statuses == ["watching the spool; 3 messages waiting, oldest 2 h"])
    }
}

extension Configuration {
    func withSilenceLimit(_ source: String, _ limit: Interval?) -> Configuration {
        var c = self
        c.sourceSettings[source, default: SourceSettings()].expectEvery = limit
        return c
    }
}

extension HealthServiceTests {
    /// A route that failed before a restart is told by the new daemon,
    /// read from the outbox, until a delivery on it.
    @Test func aRouteFailingBeforeARestartIsStillTold() async throws {
        let f = Fixture(configuration: try Self.configuration().withSilenceLimit("webfilter", nil))
        try f.store.enqueue([OutboxEntry(id: "a1", recipient: "vp", route: .socket, kind: "alert", createdAt: Self.start,
                                         subject: "s", text: "t", html: "h", json: "{}")])
        try f.store.settle(id: "a1", recipient: "vp", route: .socket, outcome: .failed(reason: "refused"), now: Self.start)
        await f.health.check()
        let entries = try f.healthEntries()
        #expect(entries.count == 1)
        #expect(entries.first?.json.contains(#""problem":"delivery_failing.socket","change":"raised""#) == true)
        #expect(entries.first?.socketText.contains("1 bericht opgegeven (laatste reden: refused)") == true)
    }
}

extension HealthServiceTests {
    /// The bell rings per settled delivery and per finished pass; a burst
    /// of rings is one check, at most one per `checkGap` (each check reads
    /// the store, which ingest waits for meanwhile). Checks are counted as
    /// the store openings they make; rung every millisecond, the service
    /// would check hundreds of times a second without the gap.
    @Test func aBurstOfRingsChecksAtMostOncePerGap() async throws {
        let store = MemoryStore(now: Self.start)
        let checks = Mutex(0)
        let open: @Sendable () throws -> any StateStore = {
            checks.withLock { $0 += 1 }
            return store
        }
        let configuration = try Self.configuration()
        let log = RecordingLog()
        let delivery = DeliveryService(openStore: { store }, configuration: configuration,
                                       transports: [.socket: RecordingTransport()], doorbell: Doorbell(), logger: log.logger)
        let health = HealthService(configuration: configuration, openStore: open, delivery: delivery, outboxBell: Doorbell(),
                                   logger: log.logger, diskSpace: { _ in DiskSpace(free: 50 << 30, total: 100 << 30) },
                                   onStatus: { _ in })
        let started = ContinuousClock.now
        let service = Task { try await health.run() }
        // Rings until a second check came (the service answers rings),
        // then for half a second more.
        var secondCheckAt: ContinuousClock.Instant?
        for _ in 0..<30_000 {
            health.bell.ring()
            try await Task.sleep(for: .milliseconds(1))
            if secondCheckAt == nil, checks.withLock({ $0 }) >= 2 { secondCheckAt = .now }
            if let at = secondCheckAt, ContinuousClock.now - at > .milliseconds(500) { break }
        }
        service.cancel()
        _ = await service.result
        let elapsed = ContinuousClock.now - started
        let count = checks.withLock { $0 }
        #expect(secondCheckAt != nil, "a ring after the gap brings a check")
        let allowed = Int(elapsed / HealthService.checkGap) + 1
        #expect(count >= 2 && count <= allowed, "\(count) checks in \(elapsed), at most \(allowed)")
    }
}
