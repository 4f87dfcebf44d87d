// DeliveryService+Direct — what the delivery routes tell others, and
// sending at once, outside the outbox: a test message asked for over the
// submit socket (`vertrouwd send-test`, issue 15 §1) and a health message
// that cannot be queued because the store cannot write. Both go through
// the daemon's own transports, so they prove what the running service (in
// its sandbox) can reach.
//
// Logs: nothing here; the caller logs what it asked for and what came back.
import Synchronization
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore

/// Those told of every settled delivery attempt, in the order they were added.
public final class DeliveryObservers: Sendable {
    private let observers = Mutex<[@Sendable (OutboxEntry, Settlement) -> Void]>([])

    public init() {}

    /// Adds one; it is called on a delivery task and must not block.
    public func add(_ observer: @escaping @Sendable (OutboxEntry, Settlement) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func tell(_ entry: OutboxEntry, _ settlement: Settlement) {
        for observer in observers.withLock({ $0 }) { observer(entry, settlement) }
    }
}

/// What one direct attempt came to, per recipient and route.
public struct DirectResult: Sendable, Hashable {
    public var recipient: String
    public var route: OutboxEntry.Route
    /// "delivered", "temporary" or "refused".
    public var outcome: String
    /// The transport's short reason ("" when delivered).
    public var reason: String

    public init(recipient: String, route: OutboxEntry.Route, outcome: String, reason: String) {
        self.recipient = recipient
        self.route = route
        self.outcome = outcome
        self.reason = reason
    }
}

extension DeliveryService {
    /// Delivers `message` at once to each of `recipients` by each of its
    /// routes (e-mail when it has an address, the socket when configured),
    /// one by one, and says what happened. Nothing is queued or retried.
    public func sendNow(_ message: OutgoingMessage, to recipients: [Recipient]) async -> [DirectResult] {
        let transports = routes.withLock { $0.transports }
        var results: [DirectResult] = []
        for recipient in recipients {
            for route in OutboxEntry.Route.allCases {
                guard let transport = transports[route] else { continue }
                if route == .email && recipient.email == nil { continue }
                let outcome: String
                let reason: String
                switch await transport.deliver(message, to: recipient.email ?? "") {
                case .delivered: (outcome, reason) = ("delivered", "")
                case .retry(let why): (outcome, reason) = ("temporary", why)
                case .permanent(let why): (outcome, reason) = ("refused", why)
                }
                results.append(DirectResult(recipient: recipient.name, route: route, outcome: outcome, reason: reason))
            }
        }
        return results
    }
}
