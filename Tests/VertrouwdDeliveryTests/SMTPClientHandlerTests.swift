import NIOCore
import NIOEmbedded
import NIOSSL
import Testing
import VertrouwdCore
@testable import VertrouwdDelivery

/// The channel handler and line decoder on an in-memory channel: no sockets.
@Suite("SMTP client handler on an EmbeddedChannel")
struct SMTPClientHandlerTests {
    struct Harness {
        let channel = EmbeddedChannel()
        let promise: EventLoopPromise<DeliveryResult>

        init(_ mode: EmailSettings.StartTLS) throws {
            promise = channel.eventLoop.makePromise()
            let guardBox = STARTTLSGuard()
            let session = SMTPSession(configuration: .init(
                heloName: "h.test", from: "v@s.example", to: "vp@s.example", startTLS: mode, relayIsLoopback: true))
            let tls = mode == .off ? nil : try NIOSSLContext(configuration: .makeClientConfiguration())
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder(tlsGuard: guardBox)))
            try channel.pipeline.syncOperations.addHandler(SMTPClientHandler(
                session: session, payload: SMTPSession.dataPayload(Array(".x\r\n".utf8)), tlsContext: tls,
                serverHostname: nil, timeout: .seconds(30), tlsGuard: guardBox, promise: promise))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 25)).wait()
        }

        func server(_ text: String) throws {
            try channel.writeInbound(ByteBuffer(string: text))
        }

        func written() throws -> String {
            var out = ""
            while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
                out += buffer.readString(length: buffer.readableBytes) ?? ""
            }
            return out
        }
    }

    @Test("a whole plain conversation, replies split across and joined within packets")
    func plain() throws {
        let h = try Harness(.off)
        try h.server("220 relay ESMTP\r")
        try h.server("\n")
        #expect(try h.written() == "EHLO h.test\r\n")
        try h.server("250-relay\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
        #expect(try h.written() == "MAIL FROM:<v@s.example>\r\n")
        try h.server("250 ok\r\n")
        #expect(try h.written() == "RCPT TO:<vp@s.example>\r\n")
        try h.server("250 ok\r\n")
        #expect(try h.written() == "DATA\r\n")
        try h.server("354 go\r\n")
        #expect(try h.written() == "..x\r\n.\r\n")
        try h.server("250 queued\r\n")
        #expect(try h.written() == "QUIT\r\n")
        try h.server("221 bye\r\n")
        #expect(try h.promise.futureResult.wait() == .delivered)
        #expect(!h.channel.isActive)
    }

    @Test("the relay closing mid-conversation → retry")
    func closed() throws {
        let h = try Harness(.off)
        try h.server("220 relay\r\n")
        _ = try h.channel.close().wait()
        #expect(try h.promise.futureResult.wait() == .retry("connection closed (EHLO)"))
    }

    @Test("the per-command timeout fires → retry")
    func timeout() throws {
        let h = try Harness(.off)
        try h.server("220 relay\r\n")
        h.channel.embeddedEventLoop.advanceTime(by: .seconds(31))
        #expect(try h.promise.futureResult.wait() == .retry("timeout (EHLO)"))
    }

    @Test("plain-text bytes behind '220' to STARTTLS (injection) → retry, TLS not trusted")
    func injection() throws {
        let h = try Harness(.required)
        try h.server("220 relay\r\n250-relay\r\n250 STARTTLS\r\n")
        #expect(try h.written() == "EHLO h.test\r\nSTARTTLS\r\n")
        try? h.server("220 go ahead\r\n250-AUTH PLAIN\r\n")
        #expect(try h.promise.futureResult.wait() == .retry("unexpected data before TLS handshake"))
    }

    @Test("an over-long reply line → retry")
    func longLine() throws {
        let h = try Harness(.off)
        try? h.server(String(repeating: "2", count: 5000))
        #expect(try h.promise.futureResult.wait() == .retry("line too long"))
    }
}
