// The SMTP client conversation (RFC 5321, 3207, 4954) as a pure state
// machine: it is fed reply lines and events and returns what to do next; the
// channel handler (SMTPClientHandler) carries the actions out.
// Security stance: STARTTLS per the configured mode; credentials are only
// ever sent after TLS, unless the relay is on loopback and starttls = off.
// Failure reasons name the stage and the reply code, never reply text
// (which may echo addresses) and never message content.
import VertrouwdCore

/// One line of an SMTP reply: "250-PIPELINING" or "250 OK".
public struct SMTPReplyLine: Sendable, Equatable {
    public var code: Int
    public var text: String
    /// False for "250-…" continuation lines.
    public var isLast: Bool

    public init(code: Int, text: String, isLast: Bool) {
        self.code = code
        self.text = text
        self.isLast = isLast
    }

    /// Parses one reply line without its CRLF; nil when it is not a reply.
    public init?(parsing line: String) {
        let bytes = Array(line.utf8)
        let digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard bytes.count >= 3, bytes[0...2].allSatisfy(digit.contains),
              (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[0])
        else { return nil }
        let code = Int(bytes[0] - 48) * 100 + Int(bytes[1] - 48) * 10 + Int(bytes[2] - 48)
        if bytes.count == 3 {
            self.init(code: code, text: "", isLast: true)
        } else if bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") {
            self.init(code: code, text: String(decoding: bytes[4...], as: UTF8.self), isLast: bytes[3] == UInt8(ascii: " "))
        } else {
            return nil
        }
    }
}

/// The client side of one SMTP transaction: one message to one recipient.
public struct SMTPSession: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var heloName: String
        public var from: String
        public var to: String
        public var startTLS: EmailSettings.StartTLS
        /// The relay is 127.0.0.0/8, ::1 or localhost: AUTH without TLS is
        /// allowed there, and only when starttls = off.
        public var relayIsLoopback: Bool
        public var username: String?
        public var password: String?

        public init(heloName: String, from: String, to: String, startTLS: EmailSettings.StartTLS,
                    relayIsLoopback: Bool, username: String? = nil, password: String? = nil) {
            self.heloName = heloName
            self.from = from
            self.to = to
            self.startTLS = startTLS
            self.relayIsLoopback = relayIsLoopback
            self.username = username
            self.password = password
        }
    }

    /// What the handler must do next.
    public enum Action: Sendable, Equatable {
        /// Write this command line followed by CRLF, then wait for the reply.
        case send(String)
        /// Put TLS at the front of the pipeline; call `tlsEstablished()` when
        /// the handshake completes, `failed(_:)` if it does not.
        case startTLS
        /// Write the dot-stuffed message and the final CRLF.CRLF.
        case sendMessage
        /// Nothing yet: more lines of a multi-line reply are to come.
        case wait
        /// Close the connection; this is the attempt's result.
        case close(DeliveryResult)
    }

    enum State: Sendable, Equatable {
        case greeting, ehlo, helo, startTLS, tlsHandshake
        case authPlain, authLogin, authLoginUser, authLoginPassword
        case mailFrom, rcptTo, data, message
        case quit(DeliveryResult)
        case closed
    }

    public let configuration: Configuration
    private(set) var state = State.greeting
    private var pending: [SMTPReplyLine] = []
    private var tls = false
    private var extensions: Set<String> = []
    private var authMechanisms: Set<String> = []

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Whether the attempt has reached its result.
    public var isFinished: Bool { state == .closed }

    // MARK: - Events

    /// A reply line arrived.
    public mutating func receive(_ line: SMTPReplyLine) -> Action {
        switch state {
        case .closed:
            return .wait
        case .tlsHandshake:
            // Plain-text data after "220 Go ahead" would be read as if it came
            // through TLS (STARTTLS injection): refuse it.
            return close(.retry("unexpected data before TLS handshake"))
        default:
            break
        }
        guard pending.count < 256 else { return close(.retry("reply too long")) }
        pending.append(line)
        guard line.isLast else { return .wait }
        let lines = pending
        pending = []
        guard lines.allSatisfy({ $0.code == line.code }) else {
            return close(.retry("malformed reply"))
        }
        return handle(code: line.code, lines: lines)
    }

    /// A line that is not an SMTP reply arrived.
    public mutating func receiveMalformed() -> Action {
        if case .quit(let result) = state { return close(result) }
        return close(.retry("malformed reply"))
    }

    /// The TLS handshake after STARTTLS completed.
    public mutating func tlsEstablished() -> Action {
        guard state == .tlsHandshake else { return close(.retry("unexpected TLS event")) }
        tls = true
        extensions = []
        authMechanisms = []
        return send("EHLO " + configuration.heloName, then: .ehlo)
    }

    /// The connection failed or closed (reason: short, e.g. "TLS handshake failed").
    public mutating func failed(_ reason: String) -> Action {
        switch state {
        case .closed: return .wait
        case .quit(let result): return close(result)
        default: return close(.retry(reason))
        }
    }

    /// No reply within the per-command timeout.
    public mutating func timedOut() -> Action {
        failed("timeout (\(stage))")
    }

    // MARK: - Replies

    private mutating func handle(code: Int, lines: [SMTPReplyLine]) -> Action {
        switch state {
        case .greeting:
            guard code == 220 else { return refused(code, lines) }
            return send("EHLO " + configuration.heloName, then: .ehlo)
        case .ehlo:
            if code == 250 {
                parseExtensions(lines.dropFirst())
                return afterHello()
            }
            // An old relay without ESMTP: fall back to HELO.
            if (500...504).contains(code) || code == 550 {
                return send("HELO " + configuration.heloName, then: .helo)
            }
            return refused(code, lines)
        case .helo:
            guard code == 250 else { return refused(code, lines) }
            extensions = []
            authMechanisms = []
            return afterHello()
        case .startTLS:
            guard code == 220 else { return refused(code, lines) }
            state = .tlsHandshake
            return .startTLS
        case .authPlain, .authLoginPassword:
            guard code == 235 else { return refused(code, lines) }
            return mailFrom()
        case .authLogin:
            guard code == 334, let user = configuration.username else { return refused(code, lines) }
            return send(MIMEMessage.base64(Array(user.utf8)), then: .authLoginUser)
        case .authLoginUser:
            guard code == 334, let password = configuration.password else { return refused(code, lines) }
            return send(MIMEMessage.base64(Array(password.utf8)), then: .authLoginPassword)
        case .mailFrom:
            guard code == 250 else { return refused(code, lines) }
            return send("RCPT TO:<\(configuration.to)>", then: .rcptTo)
        case .rcptTo:
            guard code == 250 || code == 251 else { return refused(code, lines) }
            return send("DATA", then: .data)
        case .data:
            guard code == 354 else { return refused(code, lines) }
            state = .message
            return .sendMessage
        case .message:
            guard code == 250 else { return refused(code, lines) }
            return quit(.delivered)
        case .quit(let result):
            return close(result)
        case .tlsHandshake, .closed:
            return .wait
        }
    }

    /// After EHLO/HELO: STARTTLS, then AUTH, then the envelope.
    private mutating func afterHello() -> Action {
        let mode = configuration.startTLS
        if !tls && mode != .off {
            if extensions.contains("STARTTLS") {
                return send("STARTTLS", then: .startTLS)
            }
            if mode == .required {
                return quit(.permanent("relay does not offer STARTTLS"))
            }
        }
        guard let user = configuration.username else { return mailFrom() }
        guard tls || (configuration.relayIsLoopback && mode == .off) else {
            return quit(.permanent("refusing AUTH without TLS"))
        }
        guard let password = configuration.password else {
            return quit(.permanent("no password for AUTH"))
        }
        if authMechanisms.contains("PLAIN") {
            let token = MIMEMessage.base64([0] + Array(user.utf8) + [0] + Array(password.utf8))
            return send("AUTH PLAIN " + token, then: .authPlain)
        }
        if authMechanisms.contains("LOGIN") {
            return send("AUTH LOGIN", then: .authLogin)
        }
        return quit(.permanent("relay offers no AUTH PLAIN or LOGIN"))
    }

    private mutating func mailFrom() -> Action {
        send("MAIL FROM:<\(configuration.from)>", then: .mailFrom)
    }

    private mutating func parseExtensions(_ lines: ArraySlice<SMTPReplyLine>) {
        extensions = []
        authMechanisms = []
        for line in lines {
            let words = line.text.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first else { continue }
            extensions.insert(keyword)
            if keyword == "AUTH" { authMechanisms.formUnion(words.dropFirst()) }
        }
    }

    // MARK: - Helpers

    private mutating func send(_ command: String, then next: State) -> Action {
        state = next
        return .send(command)
    }

    /// A failure the relay can still be told about: say QUIT, then close.
    private mutating func quit(_ result: DeliveryResult) -> Action {
        send("QUIT", then: .quit(result))
    }

    private mutating func close(_ result: DeliveryResult) -> Action {
        state = .closed
        return .close(result)
    }

    /// 4xx → retry, 5xx → permanent, anything else unexpected → retry.
    private mutating func refused(_ code: Int, _ lines: [SMTPReplyLine]) -> Action {
        var what = "\(stage) refused (\(code)"
        if let status = enhancedStatus(lines.last?.text ?? "") { what += " " + status }
        what += ")"
        switch code {
        case 500...599:
            if state == .authPlain || state == .authLoginPassword || state == .authLogin || state == .authLoginUser {
                return quit(.permanent("authentication failed (\(code))"))
            }
            return quit(.permanent(what))
        case 400...499:
            return quit(.retry(what))
        default:
            return quit(.retry("unexpected reply \(code) to \(stage)"))
        }
    }

    /// "5.1.1" from "5.1.1 <x@y>: user unknown", when present.
    private func enhancedStatus(_ text: String) -> String? {
        guard let word = text.split(separator: " ").first else { return nil }
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return String(word)
    }

    /// The stage, for failure reasons.
    var stage: String {
        switch state {
        case .greeting: "greeting"
        case .ehlo: "EHLO"
        case .helo: "HELO"
        case .startTLS: "STARTTLS"
        case .tlsHandshake: "TLS handshake"
        case .authPlain, .authLogin, .authLoginUser, .authLoginPassword: "AUTH"
        case .mailFrom: "MAIL FROM"
        case .rcptTo: "RCPT TO"
        case .data: "DATA"
        case .message: "message"
        case .quit: "QUIT"
        case .closed: "closed"
        }
    }

    // MARK: - DATA

    /// The message as sent after "354": CRLF line endings, a "." doubled at
    /// the start of any line (RFC 5321 §4.5.2), then CRLF "." CRLF.
    public static func dataPayload(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 50 + 5)
        var lines = message.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for var line in lines {
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.first == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out += line
            out += [13, 10]
        }
        out += Array(".\r\n".utf8)
        return out
    }
}
