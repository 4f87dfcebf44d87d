import Foundation
import NIOCore
import NIOPosix
import Testing
import VertrouwdCore
@testable import VertrouwdDelivery

/// SMTPTransport against a real SMTP server (aiosmtpd) on loopback.
@Suite("SMTP transport against aiosmtpd", .serialized,
       .enabled(if: testToolsAvailable, "aiosmtpd is missing and scripts/ensure-test-tools could not install it"))
struct SMTPTransportTests {
    let recipient = "vertrouwenspersoon@school.example"

    func settings(port: Int, startTLS: EmailSettings.StartTLS, caFile: String? = nil,
                  username: String? = nil) -> EmailSettings {
        var s = EmailSettings()
        s.mode = .smtp
        s.relay = Endpoint(host: "127.0.0.1", port: port)
        s.startTLS = startTLS
        s.caFile = caFile
        s.username = username
        s.from = "vertrouwd@school.example"
        return s
    }

    func transport(_ settings: EmailSettings, password: String? = nil) -> SMTPTransport {
        SMTPTransport(settings: settings, password: password, heloName: "vertrouwd.test",
                      timeout: .seconds(30), group: MultiThreadedEventLoopGroup.singleton)
    }

    /// Checks what the server received with Python's email module.
    func checkReceived(_ bytes: [UInt8], message: OutgoingMessage) throws {
        let parsed = try parseWithPython(bytes)
        #expect(parsed.subject == message.subject)
        #expect(parsed.text == message.text)
        #expect(parsed.html == message.html)
        #expect(parsed.messageID == "<\(message.id)@school.example>")
        #expect(parsed.to == recipient)
        #expect(parsed.from == "vertrouwd <vertrouwd@school.example>", "the default display name")
        #expect(parsed.fromName == "vertrouwd")
        #expect(parsed.maxLine <= 998)
        #expect(parsed.defects == 0)
    }

    @Test("plain delivery: the server receives the message intact")
    func plain() async throws {
        let dir = try makeTempDirectory()
        let server = try SMTPServerProcess(dir: dir, options: [])
        defer { server.stop() }
        let message = sampleMessage()
        let clock = ContinuousClock()
        let start = clock.now
        let result = await transport(settings(port: server.port, startTLS: .off)).deliver(message, to: recipient)
        print("plain SMTP delivery took \(clock.now - start)")
        #expect(result == .delivered)
        let received = try server.messages()
        try #require(received.count == 1)
        try checkReceived(received[0], message: message)
        #expect(server.events().contains("DELIVERED tls=False"))
    }

    @Test("opportunistic against a server without STARTTLS: delivered in plain text")
    func opportunisticPlain() async throws {
        let server = try SMTPServerProcess(dir: try makeTempDirectory(), options: [])
        defer { server.stop() }
        let result = await transport(settings(port: server.port, startTLS: .opportunistic)).deliver(sampleMessage(), to: recipient)
        #expect(result == .delivered)
        #expect(try server.messages().count == 1)
    }

    @Test("STARTTLS required with the test CA: delivered over TLS", arguments: [EmailSettings.StartTLS.required, .opportunistic])
    func startTLS(mode: EmailSettings.StartTLS) async throws {
        let dir = try makeTempDirectory()
        let pki = try TestPKI(in: dir)
        let server = try SMTPServerProcess(dir: dir, options: ["--starttls", "--cert", pki.certFile, "--key", pki.keyFile])
        defer { server.stop() }
        let message = sampleMessage()
        let result = await transport(settings(port: server.port, startTLS: mode, caFile: pki.caFile)).deliver(message, to: recipient)
        #expect(result == .delivered)
        let received = try server.messages()
        try #require(received.count == 1)
        try checkReceived(received[0], message: message)
        #expect(server.events().contains("DELIVERED tls=True"))
    }

    @Test("STARTTLS with a name relay (localhost) verifies the DNS name")
    func startTLSHostname() async throws {
        let dir = try makeTempDirectory()
        let pki = try TestPKI(in: dir)
        let server = try SMTPServerProcess(dir: dir, options: ["--starttls", "--cert", pki.certFile, "--key", pki.keyFile])
        defer { server.stop() }
        var s = settings(port: server.port, startTLS: .required, caFile: pki.caFile)
        s.relay = Endpoint(host: "localhost", port: server.port)
        let result = await transport(s).deliver(sampleMessage(), to: recipient)
        // localhost may resolve to ::1 first, where nothing listens: then the
        // bootstrap falls back to 127.0.0.1.
        #expect(result == .delivered)
    }

    @Test("STARTTLS with a WRONG CA: retry (certificate refused), nothing delivered")
    func wrongCA() async throws {
        let dir = try makeTempDirectory()
        let pki = try TestPKI(in: dir)
        let server = try SMTPServerProcess(dir: dir, options: ["--starttls", "--cert", pki.certFile, "--key", pki.keyFile])
        defer { server.stop() }
        let result = await transport(settings(port: server.port, startTLS: .required, caFile: pki.wrongCAFile)).deliver(sampleMessage(), to: recipient)
        guard case .retry(let reason) = result else {
            Issue.record("expected retry, got \(result)")
            return
        }
        #expect(reason.contains("certificate"), "\(reason)")
        #expect(try server.messages().isEmpty)
        #expect(!server.events().contains("MAIL"))
    }

    @Test("starttls = required against a server without STARTTLS: permanent, nothing sent")
    func requiredWithoutSTARTTLS() async throws {
        let server = try SMTPServerProcess(dir: try makeTempDirectory(), options: [])
        defer { server.stop() }
        let result = await transport(settings(port: server.port, startTLS: .required)).deliver(sampleMessage(), to: recipient)
        #expect(result == .permanent("relay does not offer STARTTLS"))
        #expect(server.events().isEmpty)
    }

    @Test("AUTH PLAIN and AUTH LOGIN after STARTTLS: delivered", arguments: ["plain", "login"])
    func auth(mechanism: String) async throws {
        let dir = try makeTempDirectory()
        let pki = try TestPKI(in: dir)
        let server = try SMTPServerProcess(dir: dir, options: [
            "--starttls", "--cert", pki.certFile, "--key", pki.keyFile, "--auth", mechanism,
        ])
        defer { server.stop() }
        let s = settings(port: server.port, startTLS: .required, caFile: pki.caFile, username: "vertrouwd")
        let result = await transport(s, password: "geheim").deliver(sampleMessage(), to: recipient)
        #expect(result == .delivered)
        #expect(server.events().contains("AUTH \(mechanism.uppercased()) ok"))
        #expect(try server.messages().count == 1)
    }

    @Test("wrong password: permanent (535), nothing delivered")
    func wrongPassword() async throws {
        let dir = try makeTempDirectory()
        let pki = try TestPKI(in: dir)
        let server = try SMTPServerProcess(dir: dir, options: [
            "--starttls", "--cert", pki.certFile, "--key", pki.keyFile, "--auth", "both",
        ])
        defer { server.stop() }
        let s = settings(port: server.port, startTLS: .required, caFile: pki.caFile, username: "vertrouwd")
        let result = await transport(s, password: "fout").deliver(sampleMessage(), to: recipient)
        #expect(result == .permanent("authentication failed (535)"))
        #expect(try server.messages().isEmpty)
    }

    @Test("AUTH in plain text to a loopback relay with starttls = off")
    func authLoopbackPlain() async throws {
        let server = try SMTPServerProcess(dir: try makeTempDirectory(), options: ["--auth", "plain"])
        defer { server.stop() }
        let s = settings(port: server.port, startTLS: .off, username: "vertrouwd")
        let result = await transport(s, password: "geheim").deliver(sampleMessage(), to: recipient)
        #expect(result == .delivered)
    }

    @Test("550 on RCPT: permanent, and the server saw exactly one attempt")
    func rcpt550() async throws {
        let server = try SMTPServerProcess(dir: try makeTempDirectory(), options: ["--rcpt550"])
        defer { server.stop() }
        let result = await transport(settings(port: server.port, startTLS: .off)).deliver(sampleMessage(), to: recipient)
        #expect(result == .permanent("RCPT TO refused (550 5.1.1)"))
        let events = server.events()
        #expect(events.filter { $0 == "RCPT" }.count == 1)
        #expect(events.filter { $0 == "MAIL" }.count == 1)
        #expect(!events.contains("DATA"))
    }

    @Test("451 to the message: retry, nothing stored")
    func data451() async throws {
        let server = try SMTPServerProcess(dir: try makeTempDirectory(), options: ["--data451"])
        defer { server.stop() }
        let result = await transport(settings(port: server.port, startTLS: .off)).deliver(sampleMessage(), to: recipient)
        #expect(result == .retry("message refused (451 4.3.0)"))
        #expect(try server.messages().isEmpty)
    }

    @Test("relay down (closed port): retry")
    func relayDown() async throws {
        // A port that was free a moment ago: bind, read the port, close.
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        let result = await transport(settings(port: port, startTLS: .opportunistic)).deliver(sampleMessage(), to: recipient)
        guard case .retry(let reason) = result else {
            Issue.record("expected retry, got \(result)")
            return
        }
        #expect(reason.hasPrefix("relay unreachable"))
    }

    @Test("a relay that never answers: retry after the per-command timeout")
    func silentRelay() async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        var s = settings(port: channel.localAddress!.port!, startTLS: .off)
        s.relay.host = "127.0.0.1"
        let t = SMTPTransport(settings: s, password: nil, heloName: "vertrouwd.test",
                              timeout: .milliseconds(500), group: MultiThreadedEventLoopGroup.singleton)
        #expect(await t.deliver(sampleMessage(), to: recipient) == .retry("timeout (greeting)"))
    }
}
