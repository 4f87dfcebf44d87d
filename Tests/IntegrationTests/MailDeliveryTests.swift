import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

// End-to-end e-mail delivery through the built binary: a relay that is down
// across a restart, `send-test`, and a real Postfix.

extension DaemonHarness {
    /// A harness whose config is `config(root)` instead of the default one
    /// (the spool, state and socket paths must sit under `root`, as in the
    /// default: `<root>/spool`, `<root>/state/state.db`).
    convenience init(config: (String) -> String) throws {
        try self.init()
        try config(root).write(toFile: configPath, atomically: false, encoding: .utf8)
    }

    /// The alert rows of the outbox: (id, route, state, attempts).
    func alertRows() throws -> [(id: String, route: String, state: String, attempts: Int)] {
        var c = Configuration()
        c.readonly = true
        let db = try DatabaseQueue(path: statePath, configuration: c)
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT id, route, state, attempts FROM outbox WHERE kind = 'alert' ORDER BY created_at, id, route").map {
                (id: $0["id"], route: $0["route"], state: $0["state"], attempts: $0["attempts"])
            }
        }
    }
}

/// Helpers for the mail tests (prefixed to keep the module's names apart).
enum MailTest {
    static let smtpServerScript = Binary.repositoryRoot.appendingPathComponent("Tests/VertrouwdDeliveryTests/Servers/smtp_server.py").path
    static let recipient = "trust@inbox.vertrouwd.test"
    static let from = "vertrouwd@school.vertrouwd.test"
    static let replyTo = "ict@school.vertrouwd.test"

    /// A config like DaemonHarness's, with e-mail by SMTP to `relayPort` and
    /// the socket route only when `socket` is true.
    static func config(root: String, relayPort: Int, socket: Bool = false, extra: String = Integration.AlertTests.rules) -> String {
        DaemonHarness.baseConfig(root: root) + """
        [[recipient]]
        name = "vertrouwenspersoon"
        email = "\(recipient)"
        receives = ["alerts"]

        [delivery.email]
        mode = "smtp"
        relay = "127.0.0.1:\(relayPort)"
        starttls = "off"
        from = "\(from)"
        reply_to = "\(replyTo)"

        [delivery.socket]
        path = "\(socket ? root + "/alerts.sock" : "")"

        \(extra)
        """
    }

    static func signals(_ n: Int, channel: String = "instagram") -> String {
        (0..<n).map { _ in Lines.signal([("channel", "\"\(channel)\"")]) }.joined(separator: "\n") + "\n"
    }

    /// A loopback TCP port nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw HarnessError("bind: \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        let errBox = ErrReader(err.fileHandleForReading)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: errBox.finish())
    }

    /// Reads stderr on another thread so neither pipe can fill and stall.
    final class ErrReader: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)
        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }
        func finish() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// python3 from PATH, as scripts/ensure-test-tools uses (aiosmtpd is installed for that one).
    static let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// scripts/ensure-test-tools, once: true when aiosmtpd imports.
    static let aiosmtpdAvailable: Bool = {
        guard python != nil else { return false }
        let script = Binary.repositoryRoot.appendingPathComponent("scripts/ensure-test-tools").path
        return (try? run("/bin/sh", [script]).status) == 0
    }()

    static let postfixAvailable: Bool = getuid() == 0
        && FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix")
        && getpwnam("postfix") != nil

    /// What Python's `email` module (policy=default) makes of a message file.
    struct Parsed: Decodable {
        var messageID: String
        var subject: String
        var from: String
        var replyTo: String
        var to: String
        var contentType: String
        var parts: [String]
        var text: String
        var defects: Int
    }

    static func parse(_ path: String) throws -> Parsed {
        let script = #"""
        import email, json, sys
        from email import policy
        with open(sys.argv[1], "rb") as f:
            m = email.message_from_binary_file(f, policy=policy.default)
        body = m.get_body(preferencelist=("plain",))
        print(json.dumps({
            "messageID": str(m["Message-ID"] or ""), "subject": str(m["Subject"] or ""),
            "from": str(m["From"] or ""), "replyTo": str(m["Reply-To"] or ""), "to": str(m["To"] or ""),
            "contentType": m.get_content_type(),
            "parts": [p.get_content_type() for p in m.iter_parts()] if m.is_multipart() else [],
            "text": body.get_content() if body is not None else "",
            "defects": sum(len(p.defects) for p in m.walk()),
        }))
        """#
        let r = try run(try #require(python), ["-c", script, path])
        try #require(r.status == 0, "python's email module could not parse \(path): \(r.stderr)")
        return try JSONDecoder().decode(Parsed.self, from: Data(r.stdout.utf8))
    }
}

/// Tests/VertrouwdDeliveryTests/Servers/smtp_server.py (aiosmtpd), started on
/// a given loopback port: the script picks a free port by binding port 0, so a
/// small wrapper turns that bind into one on `port`.
final class FixedPortSMTPServer {
    let dir: TemporaryDirectory
    let port: Int
    private let process: Process

    /// - Parameter arguments: more options for smtp_server.py ("--rcpt550").
    init(port: Int, arguments: [String] = []) throws {
        dir = try TemporaryDirectory()
        self.port = port
        let wrapper = #"""
        import runpy, socket, sys
        port, script = int(sys.argv[1]), sys.argv[2]
        _bind = socket.socket.bind
        def bind(self, address):
            if isinstance(address, tuple) and len(address) >= 2 and address[1] == 0:
                address = (address[0], port) + tuple(address[2:])
            return _bind(self, address)
        socket.socket.bind = bind
        sys.argv = [script] + sys.argv[3:]
        runpy.run_path(script, run_name="__main__")
        """#
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(MailTest.python))
        p.arguments = ["-c", wrapper, String(port), MailTest.smtpServerScript, "--dir", dir.url.path] + arguments
        let log = dir.url.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        p.standardOutput = logHandle
        p.standardError = logHandle
        try p.run()
        try? logHandle.close()
        process = p
        let portFile = dir.url.appendingPathComponent("port").path
        do {
            try waitUntil("aiosmtpd listens on \(port)", timeout: 30) {
                FileManager.default.fileExists(atPath: portFile) || !p.isRunning
            }
        } catch {
            stop()
            throw error
        }
        let written = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
        guard p.isRunning, written == port else {
            stop()
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw HarnessError("smtp_server.py did not start on \(port) (wrote \(String(describing: written))):\n\(text)")
        }
    }

    /// SIGKILL: a child started from the test process may inherit SIGTERM
    /// blocked or ignored, and would then never exit. The server keeps nothing.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Paths of the received messages, in order.
    func messages() -> [String] {
        let folder = dir.url.appendingPathComponent("messages").path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".eml") }
        return names.sorted { Int($0.dropLast(4))! < Int($1.dropLast(4))! }.map { folder + "/" + $0 }
    }

    deinit { stop() }
}

/// A Postfix instance of its own: config, queue and mail in one temporary
/// folder, SMTP on 127.0.0.1:`port`, mail for MailTest.recipient delivered by
/// virtual(8) to the Maildir `<dir>/mail/trust/`. Nothing under /etc is read
/// or written beyond Postfix's own defaults (meta_directory, daemon programs).
final class PostfixInstance {
    let dir: TemporaryDirectory
    let port: Int
    var configDirectory: String { dir.url.path + "/etc" }
    var maildir: String { dir.url.path + "/mail/trust" }
    var logFile: String { dir.url.path + "/maillog" }
    private var started = false

    init() throws {
        dir = try TemporaryDirectory()
        port = try MailTest.freePort()
        let root = dir.url.path
        let user = try #require(getpwnam("postfix"), "the postfix user is missing")
        let uid = user.pointee.pw_uid, gid = user.pointee.pw_gid
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root)
        for sub in ["etc", "queue", "data", "mail"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        for sub in ["data", "mail"] { chown(root + "/" + sub, uid, gid) }
        let main = """
            compatibility_level = 3.6
            queue_directory = \(root)/queue
            data_directory = \(root)/data
            myhostname = postfix.vertrouwd.test
            mydomain = vertrouwd.test
            myorigin = $myhostname
            mydestination =
            inet_interfaces = loopback-only
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
            alias_maps =
            alias_database =
            local_transport = error:no local delivery in this test
            default_transport = error:no relaying in this test
            relay_transport = error:no relaying in this test
            virtual_mailbox_domains = inbox.vertrouwd.test
            virtual_mailbox_base = \(root)/mail
            virtual_mailbox_maps = inline:{ \(MailTest.recipient)=trust/ }
            virtual_uid_maps = static:\(uid)
            virtual_gid_maps = static:\(gid)
            maillog_file = \(root)/maillog
            maillog_file_prefixes = \(root)
            biff = no
            smtputf8_enable = no

            """
        // chroot "n" everywhere: nothing has to be copied into a jail.
        let master = """
            127.0.0.1:\(port) inet n - n - - smtpd
            pickup     unix  n - n 60 1 pickup
            cleanup    unix  n - n -  0 cleanup
            qmgr       unix  n - n 300 1 qmgr
            rewrite    unix  - - n -  - trivial-rewrite
            bounce     unix  - - n -  0 bounce
            defer      unix  - - n -  0 bounce
            trace      unix  - - n -  0 bounce
            verify     unix  - - n -  1 verify
            flush      unix  n - n 1000? 0 flush
            proxymap   unix  - - n -  - proxymap
            proxywrite unix  - - n -  1 proxymap
            showq      unix  n - n -  - showq
            error      unix  - - n -  - error
            retry      unix  - - n -  - error
            discard    unix  - - n -  - discard
            virtual    unix  - n n -  - virtual
            anvil      unix  - - n -  1 anvil
            scache     unix  - - n -  1 scache
            postlog    unix-dgram n - n - 1 postlogd

            """
        try main.write(toFile: root + "/etc/main.cf", atomically: false, encoding: .utf8)
        try master.write(toFile: root + "/etc/master.cf", atomically: false, encoding: .utf8)
    }

    func start() throws {
        let check = try MailTest.run("/usr/sbin/postfix", ["-c", configDirectory, "check"])
        try #require(check.status == 0, "postfix check: \(check.stderr)")
        let r = try MailTest.run("/usr/sbin/postfix", ["-c", configDirectory, "start"])
        started = true
        try #require(r.status == 0, "postfix start: \(r.stderr)\n\(log)")
        try waitUntil("postfix listens on \(port)", timeout: 20) { Self.accepts(port: self.port) }
    }

    /// `postfix stop`, then waits (bounded) until the master process is gone;
    /// SIGKILL if it is still there.
    func stop() {
        guard started else { return }
        started = false
        let pid = masterPID()
        _ = try? MailTest.run("/usr/sbin/postfix", ["-c", configDirectory, "stop"])
        guard let pid else { return }
        if (try? waitUntil("postfix has stopped", timeout: 15, { !Self.alive(pid) })) == nil {
            kill(pid, SIGKILL)
        }
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    func delivered() -> [String] {
        let folder = maildir + "/new"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { folder + "/" + $0 }
    }

    func masterPID() -> pid_t? {
        let text = (try? String(contentsOfFile: dir.url.path + "/queue/pid/master.pid", encoding: .utf8)) ?? ""
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Running, i.e. present and not a zombie (the master's parent may never reap it).
    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
        return state != "Z" && state != "X"
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    deinit { stop() }
}

extension Integration {
    /// Alerts by e-mail through the real daemon, to aiosmtpd and to Postfix.
    @Suite struct MailDeliveryTests {
        /// The relay is down while two alerts are decided and while the
        /// daemon restarts; once it is up, each alert arrives exactly once,
        /// under the Message-ID made from its outbox id.
        @Test(.enabled(if: MailTest.aiosmtpdAvailable, "aiosmtpd is missing and scripts/ensure-test-tools could not install it"))
        func alertsWaitForADownRelayAcrossARestartAndArriveOnce() throws {
            let port = try MailTest.freePort()
            let h = try DaemonHarness { MailTest.config(root: $0, relayPort: port) }
            try h.start()
            try h.drop(MailTest.signals(5))
            try h.drop(MailTest.signals(5, channel: "snapchat"))
            try waitUntil("both alerts are tried and kept", timeout: 20) {
                let rows = (try? h.alertRows()) ?? []
                return rows.count == 2 && rows.allSatisfy { $0.attempts >= 1 && $0.state == "pending" }
            }
            #expect(h.stop() == 0)

            // After a delivery round of the restarted daemon (relay still down).
            var mark = h.logMark
            try h.start(arguments: ["--log-level", "debug"])
            try h.waitForPass("delivery", since: mark)
            let waiting = try h.alertRows()
            #expect(waiting.count == 2 && waiting.allSatisfy { $0.state == "pending" && $0.route == "email" }, "\(waiting)")

            mark = h.logMark
            let server = try FixedPortSMTPServer(port: port)
            defer { server.stop() }
            try waitUntil("both alerts are delivered", timeout: 45) {
                (try? h.alertRows().allSatisfy { $0.state == "delivered" }) == true
            }
            // Anything sent twice would be sent in the round that delivered
            // the last alert: wait for that round to end.
            try h.waitForPass("delivery", since: mark, after: "delivered to")
            #expect(h.stop() == 0)
            server.stop()

            let ids = try h.alertRows().map(\.id)
            #expect(ids.count == 2 && Set(ids).count == 2)
            let files = server.messages()
            #expect(files.count == 2, "exactly one message per alert: \(files)")
            let parsed = try files.map(MailTest.parse)
            let domain = String(MailTest.from.split(separator: "@").last!)
            #expect(parsed.map(\.messageID).sorted() == ids.map { "<\($0)@\(domain)>" }.sorted(), "\(parsed.map(\.messageID)) vs \(ids)")
            for message in parsed {
                #expect(message.defects == 0)
                #expect(message.contentType == "multipart/alternative" && message.parts == ["text/plain", "text/html"])
                #expect(message.to.contains(MailTest.recipient) && message.from.contains(MailTest.from))
                #expect(message.from == "vertrouwd <\(MailTest.from)>", "the default display name")
                #expect(message.replyTo == MailTest.replyTo)
                #expect(!message.text.isEmpty)
            }
            // Each alert's subject names its group, so the two do not fold
            // into one thread; neither carries a count.
            let subjects = parsed.map { $0.subject.lowercased() }
            #expect(Set(subjects).count == 2, "\(subjects)")
            #expect(subjects.contains { $0.contains("instagram") } && subjects.contains { $0.contains("snapchat") }, "\(subjects)")
            #expect(subjects.allSatisfy { $0.hasPrefix("vertrouwd: ") && !$0.contains("ten minste") && !$0.contains("at least") })
            for id in ids { #expect(h.log.contains("message \(id) delivered to vertrouwenspersoon by email")) }
        }

        /// `send-test` sends the marked test message over both routes at once
        /// and says so per route.
        @Test(.enabled(if: MailTest.aiosmtpdAvailable, "aiosmtpd is missing and scripts/ensure-test-tools could not install it"))
        func sendTestReachesTheRelayAndTheSocket() throws {
            let server = try FixedPortSMTPServer(port: try MailTest.freePort())
            defer { server.stop() }
            let dir = try TemporaryDirectory()
            let root = dir.url.path
            let config = try dir.write("vertrouwd.toml", MailTest.config(root: root, relayPort: server.port, socket: true))

            let listener = Process()
            listener.executableURL = Binary.url
            listener.arguments = ["listen", "--socket", root + "/alerts.sock", "--json"]
            let out = Pipe()
            listener.standardOutput = out
            listener.standardError = Pipe()
            try listener.run()
            defer { if listener.isRunning { kill(listener.processIdentifier, SIGTERM); listener.waitUntilExit() } }
            try waitUntil("the listener's socket exists", timeout: 10) { FileManager.default.fileExists(atPath: root + "/alerts.sock") }

            let r = try Binary.run(["send-test", "--config", config.path])
            #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains("vertrouwenspersoon by e-mail: delivered"), "\(r.stdout)")
            #expect(lines.contains("vertrouwenspersoon by socket: delivered"), "\(r.stdout)")

            kill(listener.processIdentifier, SIGTERM)
            listener.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(printed.contains("\"type\":\"test\""), "the socket got the test message: \(printed)")

            let files = server.messages()
            #expect(files.count == 1, "\(files)")
            let message = try MailTest.parse(try #require(files.first))
            #expect(message.defects == 0)
            #expect(message.subject == "vertrouwd: testbericht")
            #expect(message.text.contains("testbericht"))
            #expect(message.to.contains(MailTest.recipient))
            #expect(!message.messageID.isEmpty)
        }

        /// An alert through a real MTA: the daemon speaks SMTP to Postfix,
        /// which delivers it to a Maildir.
        @Test(.enabled(if: MailTest.postfixAvailable, "Postfix is not installed (scripts/ensure-deps test installs it) or not running as root"))
        func anAlertReachesAMaildirThroughPostfix() throws {
            let postfix = try PostfixInstance()
            defer { postfix.stop() }
            try postfix.start()

            let h = try DaemonHarness { MailTest.config(root: $0, relayPort: postfix.port) }
            try h.start()
            try h.drop(MailTest.signals(5))
            try waitUntil("the alert is delivered to Postfix", timeout: 20) {
                (try? h.alertRows()).map { $0.count == 1 && $0[0].state == "delivered" } == true
            }
            #expect(h.stop() == 0)
            try waitUntil("Postfix puts the alert in the Maildir", timeout: 20) { !postfix.delivered().isEmpty }
            postfix.stop()

            let files = postfix.delivered()
            #expect(files.count == 1, "\(files)\n\(postfix.log)")
            let id = try #require(try h.alertRows().first?.id)
            let message = try MailTest.parse(try #require(files.first))
            let domain = String(MailTest.from.split(separator: "@").last!)
            #expect(message.messageID == "<\(id)@\(domain)>")
            #expect(message.defects == 0)
            #expect(message.contentType == "multipart/alternative" && message.parts == ["text/plain", "text/html"])
            #expect(message.to.contains(MailTest.recipient))
            #expect(!message.text.isEmpty)
            #expect(postfix.log.contains("status=sent (delivered to maildir)"), "\(postfix.log)")
        }
    }
}
