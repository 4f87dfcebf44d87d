// DeliveryService — sends what the outbox holds (DESIGN §7).
//
// Each entry is one message for one recipient by one route. It is marked
// delivered only after the peer confirmed it (250 after DATA, sendmail's
// exit 0, the socket's ack); a temporary failure is retried with
// exponential back-off (RetryPolicy.settle, in Core) under the same id; a
// permanent one, or one older than delivery.max_age, is recorded as failed
// and told to IT (HealthService) and in the week's health report.
//
// Routes do not wait on each other: each route (socket, e-mail by SMTP or
// sendmail) is delivered by a task of its own, with its own wake-up. An
// SMTP attempt can take 30 s per step against a relay that accepts and
// never answers; a socket alert meanwhile reaches its receiver at once.
// Within a route, messages go one by one, oldest due first.
//
// The store is asked for at every round (`SharedStore` checks its schema
// then). A store written by a newer vertrouwd ends every route: run()
// throws that StoreError, and the daemon stops with exit status 78.
//
// Quiet hours (`[delivery] quiet`, s6-calendar): an alert e-mail due in
// them is held in the outbox until they end (Core's `QuietHours` decides
// when), without counting an attempt; socket routes and other messages
// are not held.
//
// Logs: the message id, the recipient's config name and the route, and the
// peer's reply code — never message content. After each round over a
// route's due entries: "pass done: delivery" at debug level (CONTRACT.md),
// with the route and its counts as P4 shows them.
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore

public final class DeliveryService: Service, Sendable {
    let openStore: @Sendable () throws -> any StateStore
    /// What a reload may change: who receives, by which routes, how long.
    struct Routes: Sendable {
        var recipients: [String: Recipient]
        var transports: [OutboxEntry.Route: any Transport]
        var policy: RetryPolicy
        var privacy: PrivacyPolicy
        /// `[delivery] quiet`, in the school's zone (s6-calendar).
        var quiet: QuietHours?
        var zone: TimeZone

        init(_ configuration: Configuration, _ transports: [OutboxEntry.Route: any Transport]) {
            recipients = Dictionary(configuration.recipients.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            self.transports = transports
            policy = RetryPolicy(maxAge: configuration.delivery.maxAge)
            privacy = configuration.privacy
            quiet = configuration.delivery.quiet
            zone = configuration.school.timeZone
        }
    }
    let routes: Mutex<Routes>
    /// Rung when new messages wait in the outbox (by the ingest loop).
    let doorbell: Doorbell
    /// One per route: the doorbell's rings are passed on to every route.
    let routeBells: [OutboxEntry.Route: Doorbell]
    let logger: Logger
    let clock: @Sendable () -> Int64
    let jitter: @Sendable () -> Double
    /// Told of every settled attempt (s6-health: the health monitor).
    public let observers = DeliveryObservers()

    public init(openStore: @escaping @Sendable () throws -> any StateStore, configuration: Configuration,
                transports: [OutboxEntry.Route: any Transport], doorbell: Doorbell, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.openStore = openStore
        self.routes = Mutex(Routes(configuration, transports))
        self.doorbell = doorbell
        self.routeBells = Dictionary(uniqueKeysWithValues: OutboxEntry.Route.allCases.map { ($0, Doorbell()) })
        self.logger = logger
        self.clock = clock
        self.jitter = jitter
    }

    /// Takes the recipients and routes of a reloaded configuration.
    public func reload(_ configuration: Configuration, transports: [OutboxEntry.Route: any Transport]) {
        let new = Routes(configuration, transports)
        routes.withLock { $0 = new }
    }

    var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    /// Delivers until shutdown. Throws only a `StoreError` that no retry
    /// can mend (a newer schema), after every route has ended.
    public func run() async throws {
        let bells = Array(routeBells.values) + [doorbell]
        try await withGracefulShutdownHandler {
            // A route that throws cancels the others: the group ends.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for route in OutboxEntry.Route.allCases {
                    group.addTask { try await self.deliver(route) }
                }
                // The one doorbell the ingest loop rings, passed on.
                group.addTask {
                    while !self.stopping {
                        await self.doorbell.wait(seconds: Double(RetryPolicy.idleWait))
                        for bell in self.routeBells.values { bell.ring() }
                    }
                }
                // The first error ends the group (waitForAll would wait
                // for every route); leaving with it cancels the others.
                for try await _ in group {}
            }
        } onGracefulShutdown: {
            for bell in bells { bell.ring() }
        }
    }

    /// One route's task: a round over its due entries, then a sleep until
    /// its next entry is due or a new one arrives. Throws only a permanent
    /// `StoreError`.
    func deliver(_ route: OutboxEntry.Route) async throws(StoreError) {
        let bell = routeBells[route]!
        while !stopping {
            let store: any StateStore
            do {
                store = try openStore()
            } catch {
                try Self.rethrowIfPermanent(error)
                // The ingest loop reports why; try again shortly.
                await bell.wait(seconds: 5)
                continue
            }
            try await deliverRound(route, store: store)
            if stopping { break }
            let next: Int64?
            do {
                next = try store.nextDueTime(route: route)
            } catch {
                try Self.rethrowIfPermanent(error)
                next = nil
            }
            await bell.wait(seconds: Double(RetryPolicy.wait(untilNextDue: next, now: clock())))
        }
    }

    /// Throws `error` when it is a `StoreError` no retry can mend (the
    /// store was written by a newer vertrouwd); returns otherwise.
    static func rethrowIfPermanent(_ error: any Error) throws(StoreError) {
        if let error = error as? StoreError, error.isPermanent { throw error }
    }

    /// What one round did.
    struct Round: Hashable, Sendable {
        var due = 0
        var delivered = 0
        var retried = 0
        var failed = 0
        /// E-mail alerts held until the quiet hours end.
        var held = 0
    }

    /// One round over what is due now on `route`, logged as a finished
    /// delivery pass. Throws only a permanent `StoreError`.
    @discardableResult
    func deliverRound(_ route: OutboxEntry.Route, store: some StateStore) async throws(StoreError) -> Round {
        var round = Round()
        let due: [OutboxEntry]
        do {
            due = try store.dueMessages(route: route, now: clock())
        } catch {
            try Self.rethrowIfPermanent(error)
            logger.error("cannot read the outbox: \(error)", metadata: ["event": "outbox_unreadable"])
            due = []
        }
        round.due = due.count
        for entry in due {
            if stopping { break }
            if let release = quietRelease(entry) {
                try hold(entry, until: release, store: store)
                round.held += 1
                continue
            }
            let result = await attempt(entry)
            switch try settle(entry, result, store: store) {
            case .delivered: round.delivered += 1
            case .retry: round.retried += 1
            case .failed: round.failed += 1
            }
        }
        let privacy = routes.withLock { $0.privacy }
        logger.debug("pass done: delivery", metadata: [
            "event": "pass_done", "pass": "delivery", "route": "\(route.rawValue)",
            "due": "\(privacy.shown(round.due))", "delivered": "\(privacy.shown(round.delivered))",
            "retried": "\(privacy.shown(round.retried))", "failed": "\(privacy.shown(round.failed))",
            "held": "\(privacy.shown(round.held))",
        ])
        return round
    }

    /// When an alert e-mail that is due now must wait out the quiet hours
    /// (`[delivery] quiet`): the instant they end, decided by Core
    /// (`QuietHours.release`). Nil to send it now: any other route or kind,
    /// no quiet hours, not quiet now, or a severity in `quiet_except`.
    func quietRelease(_ entry: OutboxEntry) -> Int64? {
        guard entry.route == .email, entry.kind == "alert" else { return nil }
        let (quiet, zone) = routes.withLock { ($0.quiet, $0.zone) }
        guard let quiet else { return nil }
        let now = clock()
        let release = quiet.release(at: now, severity: QuietHours.severity(ofAlertJSON: entry.json), in: zone)
        return release > now ? release : nil
    }

    /// Holds an entry until `release`, no attempt counted, and logs it.
    /// Throws only a permanent `StoreError`.
    func hold(_ entry: OutboxEntry, until release: Int64, store: some StateStore) throws(StoreError) {
        let quiet = routes.withLock { $0.quiet.map(\.description) ?? "" }
        logger.info("message \(entry.id) to \(entry.recipient) by \(entry.route.rawValue) held for the quiet hours (\(quiet))",
                    metadata: ["event": "delivery_held", "message": "\(entry.id)", "recipient": "\(entry.recipient)",
                               "route": "\(entry.route.rawValue)", "until": "\(release)"])
        do {
            try store.hold(id: entry.id, recipient: entry.recipient, route: entry.route, until: release)
        } catch {
            try Self.rethrowIfPermanent(error)
            // Not recorded: the entry stays due and is held again next round.
            logger.error("cannot record a delivery: \(error)", metadata: ["event": "outbox_unwritable"])
        }
    }

    /// One attempt. An entry this version cannot send (an unknown kind, a
    /// route or address the config no longer has) is refused for good, not
    /// sent as something else.
    func attempt(_ entry: OutboxEntry) async -> AttemptResult {
        let (recipients, transports) = routes.withLock { ($0.recipients, $0.transports) }
        guard let kind = OutgoingMessage.Kind(rawValue: entry.kind) else {
            return .permanent("unknown message kind")
        }
        guard let transport = transports[entry.route] else {
            return .permanent("no \(entry.route.rawValue) route is configured")
        }
        var address = ""
        if entry.route == .email {
            guard let email = recipients[entry.recipient]?.email else {
                return .permanent("recipient \(entry.recipient) has no e-mail address in the config")
            }
            address = email
        }
        let message = OutgoingMessage(id: entry.id, kind: kind, subject: entry.subject, text: entry.text,
                                      html: entry.html, json: entry.json, created: entry.createdAt)
        switch await transport.deliver(message, to: address) {
        case .delivered: return .delivered
        case .retry(let reason): return .temporary(reason)
        case .permanent(let reason): return .permanent(reason)
        }
    }

    /// Records an attempt's outcome (decided by `RetryPolicy.settle`) and
    /// logs it. Throws only a permanent `StoreError`.
    func settle(_ entry: OutboxEntry, _ result: AttemptResult, store: some StateStore) throws(StoreError) -> Settlement {
        let now = clock()
        let policy = routes.withLock { $0.policy }
        let settlement = policy.settle(result, attemptsBefore: entry.attempts, createdAt: entry.createdAt, now: now, jitter: jitter())
        let meta: Logger.Metadata = ["message": "\(entry.id)", "recipient": "\(entry.recipient)", "route": "\(entry.route.rawValue)"]
        let what = "message \(entry.id) to \(entry.recipient) by \(entry.route.rawValue)"
        let outcome: DeliveryOutcome
        switch settlement {
        case .delivered:
            outcome = .delivered
            logger.info("message \(entry.id) delivered to \(entry.recipient) by \(entry.route.rawValue)",
                        metadata: meta.merging(["event": "delivered"]) { a, _ in a })
        case .retry(let at, let reason):
            outcome = .retry(at: at, reason: reason)
            logger.warning("\(what): \(reason); retrying in \(at - now) s", metadata: meta.merging(["event": "delivery_retry"]) { a, _ in a })
        case .failed(let reason, let givenUp):
            outcome = .failed(reason: reason)
            logger.error("\(what) \(givenUp ? "" : "refused: ")\(reason)", metadata: meta.merging(["event": "delivery_failed"]) { a, _ in a })
        }
        do {
            try store.settle(id: entry.id, recipient: entry.recipient, route: entry.route, outcome: outcome, now: now)
        } catch {
            try Self.rethrowIfPermanent(error)
            // The attempt stands; at worst the message is sent again with
            // the same id, which receivers de-duplicate.
            logger.error("cannot record a delivery: \(error)", metadata: ["event": "outbox_unwritable"])
        }
        observers.tell(entry, settlement)
        return settlement
    }
}
