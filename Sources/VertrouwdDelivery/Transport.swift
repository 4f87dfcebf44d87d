// The delivery boundary: one protocol per route, and an in-memory twin.
// Security stance: results carry short reasons (codes, stages), never message
// content or credentials, because they are logged and shown in summaries.

/// One message as it will be delivered; the same id (and Message-ID) on every retry.
public struct OutgoingMessage: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case alert, summary, test, health
    }

    /// Stable across retries, e.g. 32 hex characters.
    public var id: String
    public var kind: Kind
    /// What, where and when, never a count (mail logs see subjects); may be non-ASCII.
    public var subject: String
    /// Plain text body (UTF-8).
    public var text: String
    /// HTML body.
    public var html: String
    /// The socket payload: one JSON line (DESIGN §7), without the newline.
    public var json: String
    /// Epoch seconds, for the Date header.
    public var created: Int64

    public init(id: String, kind: Kind, subject: String, text: String, html: String, json: String, created: Int64) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.text = text
        self.html = html
        self.json = json
        self.created = created
    }
}

/// What one delivery attempt came to.
public enum DeliveryResult: Sendable, Equatable {
    case delivered
    /// A temporary failure; try again later with the same message.
    case retry(String)
    /// The route refused the message for good; retrying will not help.
    case permanent(String)
}

/// A route messages are delivered over.
///
/// Every implementation must: make one attempt per call; never throw, but
/// map every failure to `.retry` (temporary: unreachable, timeout, 4xx) or
/// `.permanent` (refused for good: 5xx, misconfiguration); keep reasons short
/// and free of message content and credentials; deliver the message bytes
/// unchanged on every retry.
public protocol Transport: Sendable {
    /// - Parameter recipient: an e-mail address; ignored by the socket transport.
    func deliver(_ message: OutgoingMessage, to recipient: String) async -> DeliveryResult
}

/// The in-memory twin of a transport: records every delivery and answers with
/// scripted results (then `.delivered` once the script runs out).
public actor RecordingTransport: Transport {
    public struct Delivery: Sendable, Hashable {
        public var message: OutgoingMessage
        public var recipient: String
    }

    public private(set) var deliveries: [Delivery] = []
    private var script: [DeliveryResult]

    public init(results: [DeliveryResult] = []) {
        self.script = results
    }

    /// Appends results to answer the next deliveries with.
    public func enqueue(_ results: DeliveryResult...) {
        script.append(contentsOf: results)
    }

    public func deliver(_ message: OutgoingMessage, to recipient: String) async -> DeliveryResult {
        deliveries.append(Delivery(message: message, recipient: recipient))
        return script.isEmpty ? .delivered : script.removeFirst()
    }
}
