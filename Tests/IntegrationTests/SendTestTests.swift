import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// `vertrouwd send-test` through the running daemon (issue 15 §1): the
// daemon sends by its own routes and the command prints what it saw.
extension Integration {
    @Suite struct SendTestTests {
        @Test(.enabled(if: MailTest.aiosmtpdAvailable, "aiosmtpd is missing and scripts/ensure-test-tools could not install it"))
        func theRunningDaemonSendsAndReportsPerRoute() throws {
            let server = try FixedPortSMTPServer(port: try MailTest.freePort())
            defer { server.stop() }
            let h = try DaemonHarness { MailTest.config(root: $0, relayPort: server.port, socket: true) }
            try h.start()
            let listener = Process()
            listener.executableURL = Binary.url
            listener.arguments = ["listen", "--socket", h.root + "/alerts.sock", "--json"]
            let out = Pipe()
            listener.standardOutput = out
            listener.standardError = Pipe()
            try listener.run()
            defer { if listener.isRunning { kill(listener.processIdentifier, SIGTERM); listener.waitUntilExit() } }
            try waitUntil("the listener's socket exists", timeout: 10) { FileManager.default.fileExists(atPath: h.root + "/alerts.sock") }

            let r = try Binary.run(["send-test", "--config", h.configPath])
            #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("sent by the running daemon") == true, "\(r.stdout)")
            #expect(lines.contains("vertrouwenspersoon by e-mail: delivered"), "\(r.stdout)")
            #expect(lines.contains("vertrouwenspersoon by socket: delivered"), "\(r.stdout)")
            try waitUntil("the daemon logged the request", timeout: 10) { h.log.contains("control: send-test asked") }
            #expect(h.log.contains("send-test: vertrouwenspersoon by email: delivered"))
            #expect(h.stop() == 0)
            #expect(server.messages().count == 1, "the relay got the daemon's test message")
            #expect(try h.outbox().isEmpty, "a test is sent at once, not queued")
        }

        /// A relay the daemon cannot reach: the command says what the
        /// daemon saw, and exits 1.
        @Test func aRouteTheDaemonCannotReachIsReportedWithItsReason() throws {
            let port = try MailTest.freePort()
            let h = try DaemonHarness { MailTest.config(root: $0, relayPort: port) }
            try h.start()
            let r = try Binary.run(["send-test", "--config", h.configPath])
            #expect(r.status == 1, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("sent by the running daemon") == true, "\(r.stdout)")
            let email = try #require(lines.first { $0.hasPrefix("vertrouwenspersoon by e-mail: ") }, "\(r.stdout)")
            #expect(email.hasPrefix("vertrouwenspersoon by e-mail: not delivered (temporary): "), "\(email)")
            #expect(h.stop() == 0)
        }

        /// The control socket sits next to the state database, mode 0600,
        /// and answers an unknown request with a reason, not silence.
        @Test func theControlSocketIsPrivateAndRefusesUnknownRequests() throws {
            let h = try DaemonHarness()
            try h.start()
            let path = h.root + "/state/control.sock"
            var st = stat()
            #expect(lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFSOCK)
            #expect(st.st_mode & 0o777 == 0o600)
            #expect(try converse(path, "reload\n", lines: 1) == ["err unknown_request"])
            #expect(h.stop() == 0)
        }

        /// No daemon: the command sends from its own shell and says so.
        @Test func withoutADaemonItSaysItSendsFromThisShell() throws {
            let port = try MailTest.freePort()
            let h = try DaemonHarness { MailTest.config(root: $0, relayPort: port) }
            let r = try Binary.run(["send-test", "--config", h.configPath])
            #expect(r.status == 1)
            #expect(r.stdout.hasPrefix("no daemon answers on \(h.root)/state/control.sock: sending from this shell, outside the service's sandbox\n"), "\(r.stdout)")
        }
    }
}
