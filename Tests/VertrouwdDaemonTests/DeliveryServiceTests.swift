import Foundation
import Synchronization
import Testing
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore
@testable import VertrouwdDaemon

/// A clock that moves only when told to.
final class ManualClock: Sendable {
    private let value: Mutex<Int64>
    init(_ start: Int64) { value = Mutex(start) }
    var now: Int64 { value.withLock { $0 } }
    func advance(to t: Int64) { value.withLock { $0 = t } }
}

/// A transport that holds every attempt until the test answers it: what
/// happens meanwhile is what a slow peer lets happen.
actor GatedTransport: Transport {
    private(set) var attempts: [OutgoingMessage] = []
    private var held: [CheckedContinuation<DeliveryResult, Never>] = []
    private var arrivals: [CheckedContinuation<Void, Never>] = []

    func deliver(_ message: OutgoingMessage, to recipient: String) async -> DeliveryResult {
        attempts.append(message)
        for a in arrivals { a.resume() }
        arrivals = []
        return await withCheckedContinuation { held.append($0) }
    }

    /// Returns once an attempt is being held.
    func arrived() async {
        if !held.isEmpty { return }
        await withCheckedContinuation { arrivals.append($0) }
    }

    /// Answers every held attempt.
    func answer(_ result: DeliveryResult) {
        for h in held { h.resume(returning: result) }
        held = []
    }
}

/// DeliveryService against the in-memory store, with recording transports
/// and a manual clock: what is delivered when, and what is recorded.
@Suite struct DeliveryServiceTests {
    static let created: Int64 = 1_796_000_000

    static func configuration() throws -> Configuration {
        try decodedConfiguration("""
            [school]
            name = "T"
            [spool]
            path = "/nonexistent/spool"
            [state]
            path = "/nonexistent/state.db"
            [taxonomy]
            categories = ["grooming"]
            [[source]]
            name = "webfilter"
            [[recipient]]
            name = "vp"
            email = "vp@school.vertrouwd.test"
            [delivery.email]
            mode = "smtp"
            relay = "127.0.0.1:25"
            starttls = "off"
            from = "vertrouwd@school.vertrouwd.test"
            [delivery.socket]
            path = "/run/x.sock"
            """)
    }

    static func entry(_ id: String, route: OutboxEntry.Route, kind: String = "alert", at: Int64 = created) -> OutboxEntry {
        OutboxEntry(id: id, recipient: "vp", route: route, kind: kind, createdAt: at,
                    subject: "Melding", text: "tekst", html: "<p>tekst</p>", json: #"{"type":"alert","id":"\#(id)"}"#)
    }

    struct Fixture {
        let store: MemoryStore
        let clock: ManualClock
        let log: RecordingLog
        let doorbell: Doorbell
        let service: DeliveryService

        init(transports: [OutboxEntry.Route: any Transport]) throws {
            let store = MemoryStore(now: DeliveryServiceTests.created)
            let clock = ManualClock(DeliveryServiceTests.created)
            let log = RecordingLog()
            let doorbell = Doorbell()
            self.store = store
            self.clock = clock
            self.log = log
            self.doorbell = doorbell
            service = DeliveryService(openStore: { store }, configuration: try DeliveryServiceTests.configuration(),
                                      transports: transports, doorbell: doorbell, logger: log.logger,
                                      clock: { clock.now }, jitter: { 0.5 })
        }

        func stored(_ id: String, _ route: OutboxEntry.Route) throws -> OutboxEntry {
            try #require(try store.outbox().first { $0.id == id && $0.route == route })
        }
    }

    @Test func aMessageIsDeliveredOnlyOnceThePeerConfirmedIt() async throws {
        let socket = GatedTransport()
        let f = try Fixture(transports: [.socket: socket])
        try f.store.enqueue([Self.entry("m1", route: .socket)])
        let round = Task { try await f.service.deliverRound(.socket, store: f.store) }
        await socket.arrived()
        #expect(try f.stored("m1", .socket).state == .pending, "sent, not yet confirmed")
        #expect(try f.stored("m1", .socket).attempts == 0)
        await socket.answer(.delivered)
        #expect(try await round.value == DeliveryService.Round(due: 1, delivered: 1))
        let done = try f.stored("m1", .socket)
        #expect(done.state == .delivered && done.attempts == 1)
        #expect(await socket.attempts.map(\.id) == ["m1"])
        #expect(f.log.count(containing: "message m1 delivered to vp by socket") == 1)
    }

    @Test func aTemporaryFailureIsRetriedWithBackOffUnderTheSameID() async throws {
        let email = RecordingTransport(results: [.retry("451 later"), .retry("421 busy")])
        let f = try Fixture(transports: [.email: email])
        try f.store.enqueue([Self.entry("m1", route: .email)])
        let t = Self.created
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, retried: 1))
        var e = try f.stored("m1", .email)
        #expect(e.state == .pending && e.attempts == 1 && e.nextAttemptAt == t + 1 && e.lastError == "451 later")
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(), "not due before its time")
        f.clock.advance(to: t + 1)
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, retried: 1))
        e = try f.stored("m1", .email)
        #expect(e.attempts == 2 && e.nextAttemptAt == t + 3, "the delay doubles")
        f.clock.advance(to: t + 3)
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, delivered: 1))
        #expect(try f.stored("m1", .email).state == .delivered)
        let sent = await email.deliveries
        #expect(sent.count == 3)
        #expect(Set(sent.map(\.message)).count == 1, "the same message, id and bytes, on every attempt")
        #expect(sent.allSatisfy { $0.recipient == "vp@school.vertrouwd.test" })
    }

    @Test func aRefusalIsRecordedOnceAndNeverRetried() async throws {
        let email = RecordingTransport(results: [.permanent("550 no such user")])
        let f = try Fixture(transports: [.email: email])
        try f.store.enqueue([Self.entry("m1", route: .email)])
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, failed: 1))
        f.clock.advance(to: Self.created + 30 * 86_400)
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round())
        let e = try f.stored("m1", .email)
        #expect(e.state == .failed && e.attempts == 1 && e.lastError == "550 no such user")
        #expect(await email.deliveries.count == 1)
        #expect(try f.store.failedDeliveries(from: Self.created, to: Self.created + 1) == 1)
        #expect(f.log.count(containing: "message m1 to vp by email refused: 550 no such user") == 1)
    }

    @Test func aMessageIsGivenUpOnceOlderThanMaxAge() async throws {
        let email = RecordingTransport(results: [.retry("connection refused")])
        let f = try Fixture(transports: [.email: email])
        try f.store.enqueue([Self.entry("m1", route: .email)])
        f.clock.advance(to: Self.created + 7 * 86_400)
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, failed: 1))
        let e = try f.stored("m1", .email)
        #expect(e.state == .failed && e.lastError == "given up after 1w: connection refused")
        #expect(f.log.count(containing: "message m1 to vp by email given up after 1w: connection refused") == 1)
    }

    @Test func anUnknownKindOrAMissingRouteIsRefusedNotGuessed() async throws {
        let socket = RecordingTransport()
        let f = try Fixture(transports: [.socket: socket])
        try f.store.enqueue([Self.entry("odd", route: .socket, kind: "pigeon"), Self.entry("m2", route: .email)])
        #expect(try await f.service.deliverRound(.socket, store: f.store) == DeliveryService.Round(due: 1, failed: 1))
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, failed: 1))
        #expect(try f.stored("odd", .socket).lastError == "unknown message kind")
        #expect(try f.stored("m2", .email).lastError == "no email route is configured")
        #expect(await socket.deliveries.isEmpty, "nothing sent as something it is not")
    }

    @Test func eachRoundIsLoggedAsAFinishedDeliveryPass() async throws {
        let f = try Fixture(transports: [.socket: RecordingTransport()])
        try await f.service.deliverRound(.socket, store: f.store)
        try f.store.enqueue([Self.entry("m1", route: .socket)])
        try await f.service.deliverRound(.socket, store: f.store)
        #expect(f.log.count(containing: "pass done: delivery") == 2)
    }

    /// Issue 12: a store that a newer vertrouwd migrated while the daemon
    /// runs ends delivery on every route, with that error, instead of
    /// being retried for ever.
    @Test func aStoreFromANewerVersionEndsEveryRouteWithThatError() async throws {
        let store = MemoryStore(now: Self.created)
        let newer = Mutex(false)
        let asked = Mutex(0)
        let expected = StoreError(.newerSchema, "/var/lib/vertrouwd/state.db was written by a newer version of vertrouwd")
        let doorbell = Doorbell()
        let service = DeliveryService(openStore: { () throws -> any StateStore in
            asked.withLock { $0 += 1 }
            if newer.withLock({ $0 }) { throw expected }
            return store
        }, configuration: try Self.configuration(), transports: [.socket: RecordingTransport(), .email: RecordingTransport()],
           doorbell: doorbell, logger: RecordingLog().logger, clock: { Self.created }, jitter: { 0.5 })
        let running = Task { try await service.run() }
        try await eventually("both routes had a round") { asked.withLock { $0 } >= 2 }
        newer.withLock { $0 = true }
        doorbell.ring()
        let ended: Result<Void, any Error> = await running.result
        #expect(throws: expected) { try ended.get() }
    }

    /// The head-of-line fault: an e-mail attempt that hangs (a relay that
    /// accepts and never answers) must not hold up the socket route.
    @Test func aSocketMessageIsDeliveredWhileAnEmailAttemptHangs() async throws {
        let email = GatedTransport()
        let socket = RecordingTransport()
        let f = try Fixture(transports: [.email: email, .socket: socket])
        try f.store.enqueue([Self.entry("mail", route: .email)])
        let running = Task { try await f.service.run() }
        await email.arrived()
        // The e-mail attempt is in flight; now a socket alert comes in.
        try f.store.enqueue([Self.entry("alert", route: .socket)])
        f.doorbell.ring()
        try await eventually("the socket alert is delivered") {
            try f.stored("alert", .socket).state == .delivered
        }
        #expect(try f.stored("mail", .email).state == .pending, "the e-mail is still waiting for its relay")
        #expect(await socket.deliveries.map(\.message.id) == ["alert"])
        await email.answer(.delivered)
        try await eventually("the e-mail is recorded") { try f.stored("mail", .email).state == .delivered }
        running.cancel()
        _ = try? await running.value
    }
}

/// Polls `condition` until it holds; `timeout` only bounds a failure. It
/// is generous because `swift test` runs the integration tests, which
/// block their threads while they wait for a daemon, in the same small
/// cooperative pool: on 2 cores an async test can be starved for a minute.
func eventually(_ what: String, timeout: Duration = .seconds(180), _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    if try condition() { return }
    Issue.record("timed out waiting until \(what)")
    throw CancellationError()
}
