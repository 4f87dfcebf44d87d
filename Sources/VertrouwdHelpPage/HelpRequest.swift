/// An HTTP request as the help page sees it: only what it needs, so the
/// page's logic is tested without a server. The peer address is used for
/// the rate limiter's key and then dropped.
public struct HelpRequest: Sendable {
    public enum Body: Sendable, Equatable {
        case none
        case bytes([UInt8])
        /// More than `HelpPage.maxBodyBytes` arrived (or was announced).
        case tooLarge
    }

    public var method: String
    /// The path without the query.
    public var path: String
    public var cookie: String?
    public var contentType: String?
    public var forwardedFor: String?
    public var forwardedProto: String?
    /// The TCP peer's IP address as text, if known.
    public var peer: String?
    public var body: Body

    public init(method: String, path: String, cookie: String? = nil, contentType: String? = nil,
                forwardedFor: String? = nil, forwardedProto: String? = nil, peer: String? = nil, body: Body = .none) {
        self.method = method
        self.path = path
        self.cookie = cookie
        self.contentType = contentType
        self.forwardedFor = forwardedFor
        self.forwardedProto = forwardedProto
        self.peer = peer
        self.body = body
    }
}

/// The answer: a status, headers and an HTML body.
public struct HelpResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: String

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
