// Carries out SMTPSession's actions on a channel: writes commands and the
// message, puts TLS in front after STARTTLS, arms a timeout per command and
// completes the attempt's promise exactly once.
// Security stance: never logs commands (AUTH carries the password) or the
// message; failure reasons are the session's short stage/code texts.
import NIOCore
import NIOSSL
import NIOTLS

final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = String
    typealias OutboundOut = ByteBuffer

    private var session: SMTPSession
    /// The message, already dot-stuffed and ending in CRLF.CRLF.
    private let payload: [UInt8]
    private let tlsContext: NIOSSLContext?
    /// The relay's host name for SNI and verification; nil for an IP address
    /// (NIOSSL then verifies the certificate against the peer's IP).
    private let serverHostname: String?
    private let timeout: TimeAmount
    private let tlsGuard: STARTTLSGuard
    private var promise: EventLoopPromise<DeliveryResult>?
    private var timer: Scheduled<Void>?

    init(session: SMTPSession, payload: [UInt8], tlsContext: NIOSSLContext?, serverHostname: String?,
         timeout: TimeAmount, tlsGuard: STARTTLSGuard, promise: EventLoopPromise<DeliveryResult>) {
        self.session = session
        self.payload = payload
        self.tlsContext = tlsContext
        self.serverHostname = serverHostname
        self.timeout = timeout
        self.tlsGuard = tlsGuard
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        armTimer(context: context)  // for the greeting
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = Self.unwrapInboundIn(data)
        if let reply = SMTPReplyLine(parsing: line) {
            perform(session.receive(reply), context: context)
        } else {
            perform(session.receiveMalformed(), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            tlsGuard.tlsPending = false
            perform(session.tlsEstablished(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        perform(session.failed(Self.reason(for: error)), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(session.failed("connection closed (\(session.stage))"), context: context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        finish(.retry("connection closed"))
    }

    // MARK: - Actions

    private func perform(_ action: SMTPSession.Action, context: ChannelHandlerContext) {
        switch action {
        case .wait:
            return
        case .send(let command):
            var buffer = context.channel.allocator.buffer(capacity: command.utf8.count + 2)
            buffer.writeString(command)
            buffer.writeStaticString("\r\n")
            context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
            armTimer(context: context)
        case .sendMessage:
            let buffer = context.channel.allocator.buffer(bytes: payload)
            context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
            armTimer(context: context)
        case .startTLS:
            do {
                guard let tlsContext else { throw LineDecoderError.dataBeforeTLS }
                tlsGuard.tlsPending = true
                let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname)
                try context.pipeline.syncOperations.addHandler(tls, position: .first)
                armTimer(context: context)
            } catch {
                perform(session.failed("cannot start TLS"), context: context)
            }
        case .close(let result):
            timer?.cancel()
            timer = nil
            finish(result)
            context.close(promise: nil)
        }
    }

    private func finish(_ result: DeliveryResult) {
        guard let promise else { return }
        self.promise = nil
        promise.succeed(result)
    }

    private func armTimer(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            self.timer = nil
            self.perform(self.session.timedOut(), context: context)
        }
    }

    /// A short reason for a connection-level error (never message content).
    static func reason(for error: Error) -> String {
        if let error = error as? LineDecoderError { return error.description }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "TLS: certificate does not match the relay"
        }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            let text = String(describing: error)
            if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
                return "TLS: relay certificate refused"
            }
            return "TLS handshake failed"
        }
        if let error = error as? IOError { return "connection error (errno \(error.errnoCode))" }
        return "connection error"
    }
}
