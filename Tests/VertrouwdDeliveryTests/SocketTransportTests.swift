import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import VertrouwdDelivery

/// What the test listener answers to each line it reads.
final class ListenerScript: @unchecked Sendable {
    private let lock = NSLock()
    private var _received: [String] = []
    let answer: @Sendable (String) -> [String]

    init(answer: @escaping @Sendable (String) -> [String]) { self.answer = answer }

    func record(_ line: String) { lock.withLock { _received.append(line) } }
    var received: [String] { lock.withLock { _received } }
}

/// Reads lines, records them and writes the scripted answer lines.
final class ListenerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let script: ListenerScript
    var buffer: [UInt8] = []

    init(script: ListenerScript) { self.script = script }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        buffer += bytes.readBytes(length: bytes.readableBytes) ?? []
        while let newline = buffer.firstIndex(of: 10) {
            let line = String(decoding: buffer[..<newline], as: UTF8.self)
            buffer.removeSubrange(...newline)
            script.record(line)
            for answer in script.answer(line) {
                context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(string: answer + "\n")), promise: nil)
            }
        }
    }
}

@Suite("socket transport")
struct SocketTransportTests {
    func listen(at path: String, script: ListenerScript) async throws -> Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ListenerHandler(script: script))
                }
            }
            .bind(unixDomainSocketPath: path).get()
    }

    func socketPath() throws -> String {
        // Short: sun_path holds 108 bytes.
        "/tmp/vd-\(UUID().uuidString.prefix(8)).sock"
    }

    @Test("the listener acks the id → delivered; it received the JSON line")
    func ack() async throws {
        let path = try socketPath()
        let script = ListenerScript { line in
            let id = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
            return ["{\"hello\":1}", "not json", "{\"ack\":\"\(id ?? "")\"}"]
        }
        let server = try await listen(at: path, script: script)
        defer { server.close(promise: nil); unlink(path) }
        let message = sampleMessage()
        let result = await SocketTransport(path: path, timeout: .seconds(10), group: MultiThreadedEventLoopGroup.singleton)
            .deliver(message, to: "")
        #expect(result == .delivered)
        #expect(script.received == [message.json])
    }

    @Test("a wrong ack, then nothing → retry after the timeout")
    func wrongAck() async throws {
        let path = try socketPath()
        let script = ListenerScript { _ in ["{\"ack\":\"someone-else\"}"] }
        let server = try await listen(at: path, script: script)
        defer { server.close(promise: nil); unlink(path) }
        let result = await SocketTransport(path: path, timeout: .milliseconds(500), group: MultiThreadedEventLoopGroup.singleton)
            .deliver(sampleMessage(), to: "")
        #expect(result == .retry("no ack within timeout"))
        #expect(script.received.count == 1)
    }

    @Test("the listener closes without an ack → retry")
    func closedWithoutAck() async throws {
        let path = try socketPath()
        let script = ListenerScript { _ in [] }
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.close() }
            .bind(unixDomainSocketPath: path).get()
        defer { server.close(promise: nil); unlink(path) }
        _ = script
        let result = await SocketTransport(path: path, timeout: .seconds(10), group: MultiThreadedEventLoopGroup.singleton)
            .deliver(sampleMessage(), to: "")
        guard case .retry = result else {
            Issue.record("expected retry, got \(result)")
            return
        }
    }

    @Test("no listener (no socket file, or a stale one) → retry")
    func noListener() async throws {
        let path = try socketPath()
        let missing = await SocketTransport(path: path, group: MultiThreadedEventLoopGroup.singleton).deliver(sampleMessage(), to: "")
        guard case .retry(let reason) = missing else {
            Issue.record("expected retry, got \(missing)")
            return
        }
        #expect(reason.hasPrefix("socket unreachable"))
        // A socket file nobody listens on any more: connection refused.
        let server = try await listen(at: path, script: ListenerScript { _ in [] })
        try await server.close()
        defer { unlink(path) }
        if FileManager.default.fileExists(atPath: path) {
            let stale = await SocketTransport(path: path, group: MultiThreadedEventLoopGroup.singleton).deliver(sampleMessage(), to: "")
            guard case .retry = stale else {
                Issue.record("expected retry, got \(stale)")
                return
            }
        }
    }

    @Test("RecordingTransport records and answers with its script")
    func recording() async {
        let t = RecordingTransport(results: [.retry("x")])
        #expect(await t.deliver(sampleMessage(), to: "a@b") == .retry("x"))
        #expect(await t.deliver(sampleMessage(), to: "c@d") == .delivered)
        #expect(await t.deliveries.map(\.recipient) == ["a@b", "c@d"])
    }
}
