/// `[delivery]`, `[delivery.email]` and `[delivery.socket]`.
public struct DeliverySettings: Hashable, Sendable {
    /// A message not delivered within this time is given up and reported.
    public var maxAge = Interval.days(7)
    public var email = EmailSettings()
    /// The Unix stream socket messages are delivered to, or nil for none.
    public var socketPath: String?
    /// `quiet` and `quiet_except`: hours in which alert e-mails wait, or
    /// nil for none (issue 15 §2, s6-calendar).
    public var quiet: QuietHours?
    public init() {}

    /// Whether any route exists for a recipient with or without an address.
    public func hasRoute(for recipient: Recipient) -> Bool {
        socketPath != nil || (recipient.email != nil && email.mode != .off)
    }
}

/// `[delivery.email]`
public struct EmailSettings: Hashable, Sendable {
    public enum Mode: String, CaseIterable, Hashable, Sendable {
        case smtp, sendmail, off
    }

    public enum StartTLS: String, CaseIterable, Hashable, Sendable {
        /// Refuse to send unless the relay offers STARTTLS and its certificate checks out.
        case required
        /// Use STARTTLS when offered (certificate checked), plain text otherwise.
        case opportunistic
        case off
    }

    public var mode = Mode.smtp
    public var relay = Endpoint(host: "127.0.0.1", port: 25)
    public var startTLS = StartTLS.opportunistic
    /// Extra CA certificates (PEM) trusted for the relay, or nil.
    public var caFile: String?
    /// AUTH user name, or nil for no authentication.
    public var username: String?
    /// File holding the AUTH password (mode ≤ 0640), or nil.
    public var passwordFile: String?
    public var from = "vertrouwd@localhost"
    /// The display name of the From header ("vertrouwd <…>").
    public var fromName = "vertrouwd"
    /// The Reply-To header, usually IT's address, or nil for none.
    public var replyTo: String?
    public var sendmailPath = "/usr/sbin/sendmail"
    public init() {}
}

/// A host and TCP port, such as a mail relay.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses "host:port", "[v6addr]:port"; the port is 1–65535.
    public init?(parsing text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else { return nil }
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }),
              portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), (1...65_535).contains(port)
        else { return nil }
        self.init(host: String(host), port: port)
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
