// Delivers e-mail to a relay over SMTP (swift-nio): one connection, one
// message, one recipient per attempt.
// Security stance: STARTTLS per `settings.startTLS` with full certificate
// verification (system roots plus `ca_file`), hostname or IP checked; the
// password comes only from the caller (who reads password_file) and is sent
// only after TLS, or in plain text to a loopback relay with starttls = off.
// Logs: nothing of the message; results carry stage and reply code only.
import NIOCore
import NIOPosix
import NIOSSL
import VertrouwdCore

/// The `smtp` e-mail route.
public struct SMTPTransport: Transport {
    public let settings: EmailSettings
    private let password: String?
    public let heloName: String
    /// For connecting and for each reply (the greeting, every command, the TLS handshake).
    public let timeout: TimeAmount
    private let group: any EventLoopGroup

    public init(settings: EmailSettings, password: String?, heloName: String,
                timeout: TimeAmount = .seconds(30), group: any EventLoopGroup) {
        self.settings = settings
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
        self.group = group
    }

    public func deliver(_ message: OutgoingMessage, to recipient: String) async -> DeliveryResult {
        let from = MIMEMessage.address(settings.from)
        let to = MIMEMessage.address(recipient)
        guard Self.isMailbox(from) else { return .permanent("invalid from address") }
        guard Self.isMailbox(to) else { return .permanent("invalid recipient address") }

        var tlsContext: NIOSSLContext?
        if settings.startTLS != .off {
            do {
                tlsContext = try Self.makeTLSContext(caFile: settings.caFile)
            } catch {
                return .permanent("cannot load TLS trust roots (ca_file)")
            }
        }
        let host = settings.relay.host
        let isIPAddress = Self.isIPAddress(host)
        let session = SMTPSession(configuration: .init(
            heloName: heloName, from: from, to: to, startTLS: settings.startTLS,
            relayIsLoopback: Self.isLoopback(host), username: settings.username, password: password))
        let domain = from.split(separator: "@").last.map(String.init) ?? heloName
        let payload = SMTPSession.dataPayload(MIMEMessage.render(
            message, from: from, fromName: settings.fromName, replyTo: settings.replyTo, to: to, messageIDDomain: domain))
        let timeout = self.timeout
        let sslContext = tlsContext

        let reply: EventLoopFuture<DeliveryResult>
        do {
            reply = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .connect(host: host, port: settings.relay.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let promise = channel.eventLoop.makePromise(of: DeliveryResult.self)
                        let tlsGuard = STARTTLSGuard()
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineDecoder(tlsGuard: tlsGuard)))
                        try channel.pipeline.syncOperations.addHandler(SMTPClientHandler(
                            session: session, payload: payload, tlsContext: sslContext,
                            serverHostname: isIPAddress ? nil : host, timeout: timeout,
                            tlsGuard: tlsGuard, promise: promise))
                        return promise.futureResult
                    }
                }
        } catch {
            return .retry("relay unreachable (\(SMTPClientHandler.reason(for: error)))")
        }
        // The handler completes the promise on every path, at the latest when
        // the channel closes.
        return (try? await reply.get()) ?? .retry("connection closed")
    }

    /// Full verification against the system roots plus `caFile` (PEM), if set.
    static func makeTLSContext(caFile: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .default
        if let caFile, !caFile.isEmpty {
            configuration.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || (isIPAddress(host) && lower.hasPrefix("127."))
    }

    /// Something@something, without characters that could break a command.
    static func isMailbox(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count >= 2 && !parts[0].isEmpty && !parts.last!.isEmpty
            && !address.contains(where: { $0 == "<" || $0 == ">" || $0 == "\"" })
    }
}
