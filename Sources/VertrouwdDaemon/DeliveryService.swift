// DeliveryService — sends what the outbox holds (DESIGN §7).
//
// Each entry is one message for one recipient by one route. It is marked
// delivered only after the peer confirmed it (250 after DATA, sendmail's
// exit 0, the socket's ack); a temporary failure is retried with
// exponential back-off (RetryPolicy) under the same id; a permanent one,
// or one older than delivery.max_age, is recorded as failed and counted in
// the next summary's health section.
//
// Logs: the message id, the recipient's config name and the route, and the
// peer's reply code — never message content.
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore

public final class DeliveryService: Service, Sendable {
    let openStore: @Sendable () throws -> SignalStore
    /// What a reload may change: who receives, by which routes, how long.
    struct Routes: Sendable {
        var recipients: [String: Recipient]
        var transports: [OutboxEntry.Route: any Transport]
        var policy: RetryPolicy

        init(_ configuration: Configuration, _ transports: [OutboxEntry.Route: any Transport]) {
            recipients = Dictionary(configuration.recipients.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            self.transports = transports
            policy = RetryPolicy(maxAge: configuration.delivery.maxAge)
        }
    }
    let routes: Mutex<Routes>
    let doorbell: Doorbell
    let logger: Logger
    let clock: @Sendable () -> Int64

    public init(openStore: @escaping @Sendable () throws -> SignalStore, configuration: Configuration, transports: [OutboxEntry.Route: any Transport],
                doorbell: Doorbell, logger: Logger, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.openStore = openStore
        self.routes = Mutex(Routes(configuration, transports))
        self.doorbell = doorbell
        self.logger = logger
        self.clock = clock
    }

    /// Takes the recipients and routes of a reloaded configuration.
    public func reload(_ configuration: Configuration, transports: [OutboxEntry.Route: any Transport]) {
        let new = Routes(configuration, transports)
        routes.withLock { $0 = new }
    }

    public func run() async throws {
        let doorbell = self.doorbell
        await withGracefulShutdownHandler {
            var store: SignalStore?
            while !Task.isShuttingDownGracefully {
                if store == nil { store = try? openStore() }
                guard let store else {
                    // The ingest loop reports why; try again shortly.
                    await doorbell.wait(seconds: 5)
                    continue
                }
                await deliverDue(store)
                if Task.isShuttingDownGracefully { break }
                // Sleep until the next entry is due, or a new one arrives.
                let next = (try? store.nextDueTime()) ?? nil
                let seconds = next.map { Double(max(0, $0 - clock())) } ?? 3_600
                await doorbell.wait(seconds: min(seconds, 3_600))
            }
        } onGracefulShutdown: {
            doorbell.ring()
        }
    }

    /// One pass over what is due now.
    func deliverDue(_ store: SignalStore) async {
        let due: [OutboxEntry]
        do {
            due = try store.dueMessages(now: clock())
        } catch {
            logger.error("cannot read the outbox: \(error)", metadata: ["event": "outbox_unreadable"])
            return
        }
        for entry in due {
            if Task.isShuttingDownGracefully { return }
            let result = await attempt(entry)
            settle(entry, result, store: store)
        }
        // Tests wait for this line instead of sleeping (CONTRACT.md).
        logger.debug("pass done: delivery", metadata: ["event": "pass_done", "pass": "delivery", "messages": "\(due.count)"])
    }

    func attempt(_ entry: OutboxEntry) async -> DeliveryResult {
        let (recipients, transports) = routes.withLock { ($0.recipients, $0.transports) }
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
        let message = OutgoingMessage(id: entry.id, kind: OutgoingMessage.Kind(rawValue: entry.kind) ?? .alert,
                                      subject: entry.subject, text: entry.text, html: entry.html, json: entry.json,
                                      created: entry.createdAt)
        return await transport.deliver(message, to: address)
    }

    func settle(_ entry: OutboxEntry, _ result: DeliveryResult, store: SignalStore) {
        let now = clock()
        let meta: Logger.Metadata = ["message": "\(entry.id)", "recipient": "\(entry.recipient)", "route": "\(entry.route.rawValue)"]
        let outcome: DeliveryOutcome
        switch result {
        case .delivered:
            outcome = .delivered
            logger.info("message \(entry.id) delivered to \(entry.recipient) by \(entry.route.rawValue)", metadata: meta.merging(["event": "delivered"]) { a, _ in a })
        case .retry(let reason):
            let policy = routes.withLock { $0.policy }
            switch policy.afterFailure(attempts: entry.attempts + 1, createdAt: entry.createdAt, now: now, jitter: Double.random(in: 0..<1)) {
            case .retry(let at):
                outcome = .retry(at: at, reason: reason)
                logger.warning("message \(entry.id) to \(entry.recipient) by \(entry.route.rawValue): \(reason); retrying in \(at - now) s",
                               metadata: meta.merging(["event": "delivery_retry"]) { a, _ in a })
            case .giveUp:
                outcome = .failed(reason: "given up after \(policy.maxAge): \(reason)")
                logger.error("message \(entry.id) to \(entry.recipient) by \(entry.route.rawValue) given up after \(policy.maxAge): \(reason)",
                             metadata: meta.merging(["event": "delivery_failed"]) { a, _ in a })
            }
        case .permanent(let reason):
            outcome = .failed(reason: reason)
            logger.error("message \(entry.id) to \(entry.recipient) by \(entry.route.rawValue) refused: \(reason)",
                         metadata: meta.merging(["event": "delivery_failed"]) { a, _ in a })
        }
        do {
            try store.settle(id: entry.id, recipient: entry.recipient, route: entry.route, outcome: outcome, now: now)
        } catch {
            // The attempt stands; at worst the message is sent again with
            // the same id, which receivers de-duplicate.
            logger.error("cannot record a delivery: \(error)", metadata: ["event": "outbox_unwritable"])
        }
    }
}
