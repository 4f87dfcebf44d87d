import Foundation
import Testing
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore
@testable import VertrouwdDaemon

/// `[delivery] quiet`: an alert e-mail due in quiet hours waits in the
/// outbox until they end, with no attempt counted; socket routes, other
/// messages and excepted severities go at once (issue 15 §2). A manual
/// clock: 23:00 on Monday 30 November 2026 in Amsterdam, then the morning.
@Suite struct DeliveryQuietHoursTests {
    /// 2026-11-30 23:00 Europe/Amsterdam (22:00 UTC).
    static let evening: Int64 = 1_796_076_000
    /// 2026-12-01 07:00 Europe/Amsterdam (06:00 UTC).
    static let morning: Int64 = 1_796_104_800

    static func configuration(quiet: String = "\"22:00-07:00\"", except: String = "[\"high\"]") throws -> Configuration {
        try decodedConfiguration("""
            [school]
            name = "T"
            timezone = "Europe/Amsterdam"
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
            [delivery]
            quiet = \(quiet)
            quiet_except = \(except)
            [delivery.email]
            mode = "smtp"
            relay = "127.0.0.1:25"
            starttls = "off"
            from = "vertrouwd@school.vertrouwd.test"
            [delivery.socket]
            path = "/run/x.sock"
            """)
    }

    static func entry(_ id: String, route: OutboxEntry.Route, kind: String = "alert", severity: String = "medium") -> OutboxEntry {
        OutboxEntry(id: id, recipient: "vp", route: route, kind: kind, createdAt: evening,
                    subject: "Melding", text: "maandag 30 november 2026", html: "<p>tekst</p>",
                    json: #"{"type":"\#(kind)","id":"\#(id)","severity":"\#(severity)"}"#)
    }

    struct Fixture {
        let store = MemoryStore(now: DeliveryQuietHoursTests.evening)
        let clock = ManualClock(DeliveryQuietHoursTests.evening)
        let log = RecordingLog()
        let email = RecordingTransport()
        let socket = RecordingTransport()
        let service: DeliveryService

        init(_ configuration: Configuration) {
            let clock = self.clock, store = self.store
            service = DeliveryService(openStore: { store }, configuration: configuration,
                                      transports: [.email: email, .socket: socket], doorbell: Doorbell(),
                                      logger: log.logger, clock: { clock.now }, jitter: { 0.5 })
        }

        func stored(_ id: String, _ route: OutboxEntry.Route) throws -> OutboxEntry {
            try #require(try store.outbox().first { $0.id == id && $0.route == route })
        }
    }

    @Test func anAlertEmailWaitsUntilTheQuietHoursEnd() async throws {
        let f = Fixture(try Self.configuration())
        try f.store.enqueue([Self.entry("a1", route: .email), Self.entry("a1", route: .socket)])
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, held: 1))
        let held = try f.stored("a1", .email)
        #expect(held.state == .pending && held.attempts == 0 && held.nextAttemptAt == Self.morning && held.lastError == nil)
        #expect(try f.store.nextDueTime(route: .email) == Self.morning, "the route sleeps until the morning")
        #expect(f.log.count(containing: "message a1 to vp by email held for the quiet hours (22:00-07:00)") == 1)
        // The socket route is not held.
        #expect(try await f.service.deliverRound(.socket, store: f.store) == DeliveryService.Round(due: 1, delivered: 1))
        // A minute before the end: not due yet.
        f.clock.advance(to: Self.morning - 60)
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round())
        f.clock.advance(to: Self.morning)
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, delivered: 1))
        let sent = await f.email.deliveries
        #expect(sent.map(\.message.id) == ["a1"])
        #expect(sent.first?.message.text == "maandag 30 november 2026", "the text still names the window")
        #expect(try f.stored("a1", .email).attempts == 1)
    }

    @Test func highSeverityAndOtherMessagesAreNotHeld() async throws {
        let f = Fixture(try Self.configuration())
        try f.store.enqueue([Self.entry("h1", route: .email, severity: "high"), Self.entry("s1", route: .email, kind: "summary")])
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 2, delivered: 2))
        #expect(Set(await f.email.deliveries.map(\.message.id)) == ["h1", "s1"])
    }

    @Test func withoutQuietExceptEverySeverityWaits() async throws {
        let f = Fixture(try Self.configuration(except: "[]"))
        try f.store.enqueue([Self.entry("h1", route: .email, severity: "high")])
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, held: 1))
        #expect(await f.email.deliveries.isEmpty)
    }

    /// A retry that falls in quiet hours waits too, and keeps its attempts.
    @Test func aRetryDueInQuietHoursWaits() async throws {
        let f = Fixture(try Self.configuration())
        try f.store.enqueue([Self.entry("a1", route: .email)])
        try f.store.settle(id: "a1", recipient: "vp", route: .email, outcome: .retry(at: Self.evening, reason: "451 later"), now: Self.evening - 60)
        #expect(try await f.service.deliverRound(.email, store: f.store) == DeliveryService.Round(due: 1, held: 1))
        let held = try f.stored("a1", .email)
        #expect(held.attempts == 1 && held.nextAttemptAt == Self.morning && held.lastError == "451 later")
    }
}
