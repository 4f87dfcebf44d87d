// Delivers messages to a local integrator over a Unix stream socket: one
// JSON line per message, then waits for {"ack":"<id>"} (DESIGN §7).
// Security stance: the socket path comes from the configuration; replies are
// bounded lines, parsed as JSON, and only an ack for this message's id counts.
// Logs: nothing; results carry short reasons.
import Foundation
import NIOCore
import NIOPosix

/// The socket route. The recipient argument is ignored: the integrator
/// behind the socket routes messages itself.
public struct SocketTransport: Transport {
    public let path: String
    /// How long to wait for the connection and for the ack.
    public let timeout: TimeAmount
    private let group: any EventLoopGroup

    public init(path: String, timeout: TimeAmount = .seconds(10), group: any EventLoopGroup) {
        self.path = path
        self.timeout = timeout
        self.group = group
    }

    public func deliver(_ message: OutgoingMessage, to recipient: String) async -> DeliveryResult {
        let line = message.json.replacingOccurrences(of: "\n", with: " ") + "\n"
        let id = message.id
        let timeout = self.timeout
        let ack: EventLoopFuture<DeliveryResult>
        do {
            ack = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let promise = channel.eventLoop.makePromise(of: DeliveryResult.self)
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                        try channel.pipeline.syncOperations.addHandler(
                            AckHandler(line: line, id: id, timeout: timeout, promise: promise))
                        return promise.futureResult
                    }
                }
        } catch {
            return .retry("socket unreachable (\(SMTPClientHandler.reason(for: error)))")
        }
        return (try? await ack.get()) ?? .retry("socket closed")
    }
}

/// Writes the line once active, then waits for the matching ack.
final class AckHandler: ChannelInboundHandler {
    typealias InboundIn = String
    typealias OutboundOut = ByteBuffer

    private let line: String
    private let id: String
    private let timeout: TimeAmount
    private var promise: EventLoopPromise<DeliveryResult>?
    private var timer: Scheduled<Void>?

    init(line: String, id: String, timeout: TimeAmount, promise: EventLoopPromise<DeliveryResult>) {
        self.line = line
        self.id = id
        self.timeout = timeout
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            self.finish(.retry("no ack within timeout"), context: context)
        }
        context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(string: line)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Other lines are ignored until the timeout.
        if Self.ackID(Self.unwrapInboundIn(data)) == id {
            finish(.delivered, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(.retry("socket error"), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.retry("socket closed before ack"), context: context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        if let promise {
            self.promise = nil
            promise.succeed(.retry("socket closed before ack"))
        }
    }

    private func finish(_ result: DeliveryResult, context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        guard let promise else { return }
        self.promise = nil
        promise.succeed(result)
        context.close(promise: nil)
    }

    /// The id of an `{"ack":"<id>"}` line, or nil.
    static func ackID(_ line: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return object["ack"] as? String
    }
}
