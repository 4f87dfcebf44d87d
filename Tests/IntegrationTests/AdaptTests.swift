import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `vertrouwd adapt` against the real thing: Debian's unbound and dnsmasq
/// on loopback ports, queried with dig from several loopback addresses,
/// their real logs fed through the built binary into a running daemon.
/// Asserts the counts, and that no client address or query name appears in
/// the spool, the daemon's log, adapt's output or the adapter's state.
extension Integration {
    @Suite struct AdaptTests {
        static let hasResolvers = ["/usr/sbin/unbound", "/usr/sbin/dnsmasq", "/usr/bin/dig"]
            .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

        /// The shipped lists, as (domain, category).
        static func shippedLists() throws -> [(String, String)] {
            let dir = Binary.repositoryRoot.appendingPathComponent("Config/domains")
            var pairs: [(String, String)] = []
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".list") {
                let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.prefix(while: { $0 != "#" }).split(whereSeparator: { $0 == " " || $0 == "\t" })
                    if words.count == 2 { pairs.append((String(words[0]), String(words[1]))) }
                }
            }
            return pairs
        }

        static let clients = ["127.0.0.2", "127.0.0.3", "127.0.1.5"]

        /// The daemon's config plus the "dns" source and adapter: loopback
        /// networks stand in for the school's buildings and a class.
        static func harness(format: String) throws -> DaemonHarness {
            try DaemonHarness(extra: """
                [[source]]
                name = "dns"

                [[adapter]]
                name = "dns"
                format = "\(format)"
                lists = ["\(Binary.repositoryRoot.path)/Config/domains/*.list"]
                sites = { "127.0.0.0/24" = "hoofdgebouw", "127.0.1.0/24" = "dependance" }
                cohorts = { "127.0.0.2/32" = "klas-4" }
                """)
        }

        /// What each client asks: (client, name, type). Names on the lists
        /// give signals; example.org is on none.
        static let queries: [(String, String, String)] = [
            ("127.0.0.2", "www.helpwanted.nl", "A"),
            ("127.0.0.2", "kindertelefoon.nl", "AAAA"),
            ("127.0.0.2", "www.clothoff.io", "A"),
            ("127.0.0.3", "ome.tv", "A"),
            ("127.0.0.3", "stopncii.org", "A"),
            ("127.0.1.5", "chatroulette.com", "A"),
            ("127.0.1.5", "example.org", "A"),
        ]
        static let secrets = clients + ["helpwanted", "kindertelefoon", "clothoff", "ome.tv", "stopncii", "chatroulette", "example.org"]

        static func freePort() -> Int { Int.random(in: 20_000...60_000) }

        /// One query; its answer does not matter, only the resolver's log.
        /// No pipes: a resolver started meanwhile must not hold them open.
        static func dig(_ port: Int, _ client: String, _ name: String, _ type: String) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/dig")
            p.arguments = ["+time=1", "+tries=1", "-p", String(port), "@127.0.0.1", "-b", client, name, type]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
        }

        /// Every spool file's text (new/, before the daemon reads them).
        static func spoolText(_ h: DaemonHarness) throws -> String {
            try h.entries("new").map { try String(contentsOfFile: h.spool + "/new/" + $0, encoding: .utf8) }.joined()
        }

        static func expectNoSecrets(in texts: [String: String]) {
            for (what, text) in texts {
                for secret in secrets {
                    #expect(!text.contains(secret), "\(what) contains \"\(secret)\"")
                }
            }
        }

        /// Runs a resolver until `lines` log lines match, then stops it.
        ///
        /// With `pidFile` the resolver daemonizes and is stopped by the pid
        /// it writes there: a dnsmasq kept in the foreground as a child of
        /// the test process made Foundation's child reaper block in wait4()
        /// on it, so that no later child (dig) was ever seen to exit.
        static func runResolver(_ arguments: [String], log: String, until marker: String, count: Int, port: Int,
                                pidFile: String? = nil) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: arguments[0])
            p.arguments = Array(arguments.dropFirst())
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            var daemon: pid_t?
            defer {
                if let daemon { kill(daemon, SIGKILL) } else { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
            }
            if let pidFile {
                p.waitUntilExit()  // the foreground half exits once the daemon runs
                try waitUntil("the resolver writes its pid", timeout: 20) {
                    daemon = (try? String(contentsOfFile: pidFile, encoding: .utf8))
                        .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                    return daemon != nil
                }
            }
            try waitUntil("the resolver logs its start", timeout: 20) {
                ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("start")
            }
            for (client, name, type) in queries { try dig(port, client, name, type) }
            try waitUntil("\(count) lines with \(marker)", timeout: 20) {
                ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(separatedBy: marker).count - 1 >= count
            }
        }

        @Test(.enabled(if: hasResolvers))
        func unboundRPZLogBecomesSignalsOnce() throws {
            let h = try Self.harness(format: "unbound-rpz")
            let dir = try TemporaryDirectory()
            let port = Self.freePort()
            // The RPZ zone from the shipped lists: help sites passed through (logged), the rest NXDOMAIN.
            var zone = "$TTL 60\n@ SOA localhost. root.localhost. 1 3600 600 86400 60\n@ NS localhost.\n"
            for (domain, category) in try Self.shippedLists() {
                let action = category == "help_seeking" ? "rpz-passthru." : "."
                zone += "\(domain) CNAME \(action)\n*.\(domain) CNAME \(action)\n"
            }
            try dir.write("rpz.zone", zone)
            let log = dir.url.path + "/unbound.log"
            try dir.write("unbound.conf", """
                server:
                  interface: 127.0.0.1@\(port)
                  do-daemonize: no
                  username: ""
                  chroot: ""
                  directory: "\(dir.url.path)"
                  pidfile: ""
                  logfile: "\(log)"
                  use-syslog: no
                  verbosity: 0
                  access-control: 127.0.0.0/8 allow
                  module-config: "respip iterator"
                rpz:
                  name: rpz.vertrouwd
                  zonefile: \(dir.url.path)/rpz.zone
                  rpz-log: yes
                  rpz-log-name: vertrouwd

                """)
            try Self.runResolver(["/usr/sbin/unbound", "-d", "-c", dir.url.path + "/unbound.conf"], log: log,
                                 until: "rpz: applied", count: 6, port: port)

            try h.prepareSpool()
            let first = try Binary.run(["adapt", "--config", h.configPath, "--adapter", "dns", log])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("6 signals"), "\(first.stderr)")
            let spool = try Self.spoolText(h)
            #expect(spool.components(separatedBy: "\"source\":\"dns\"").count - 1 == 6)
            #expect(spool.components(separatedBy: "\"site\":\"hoofdgebouw\"").count - 1 == 5)
            #expect(spool.components(separatedBy: "\"site\":\"dependance\"").count - 1 == 1)
            #expect(spool.components(separatedBy: "\"cohort\":\"klas-4\"").count - 1 == 3)
            #expect(spool.components(separatedBy: "\"category\":\"help_seeking\"").count - 1 == 3)

            // Read again: the saved position says there is nothing new.
            let again = try Binary.run(["adapt", "--config", h.configPath, "--adapter", "dns", log])
            #expect(again.status == 0 && again.stderr.contains("<5 signals; "), "\(again.stderr)")
            // Without the position (the key kept), every line is read again
            // and gives the same ids: the daemon counts each signal once.
            let statePath = h.statePath.replacingOccurrences(of: "state.db", with: "adapter-dns.state")
            let state = try String(contentsOfFile: statePath, encoding: .utf8)
            try (state.split(separator: "\n").first! + "\n").write(toFile: statePath, atomically: true, encoding: .utf8)
            let third = try Binary.run(["adapt", "--config", h.configPath, "--adapter", "dns", log])
            #expect(third.stderr.contains("6 signals"), "\(third.stderr)")

            try h.start()
            try DocumentationTests.expectCounted(h, 6)
            Self.expectNoSecrets(in: ["the spool": spool, "the daemon's log": h.log, "adapt's output": first.stdout + first.stderr + third.stderr,
                                      "the adapter's state": try String(contentsOfFile: statePath, encoding: .utf8)])
        }

        // Disabled: under the shared machine's load its dig queries stalled
        // for minutes (unexplained, see the h14-adapt report); the parser is
        // covered by real dnsmasq lines in VertrouwdAdaptersTests.
        @Test(.enabled(if: hasResolvers))
        func dnsmasqQueryLogBecomesSignals() throws {
            let h = try Self.harness(format: "dnsmasq")
            let dir = try TemporaryDirectory()
            let port = Self.freePort()
            // A hosts-style block list of the image and video-chat domains;
            // the help sites stay unblocked and are still counted.
            let blocked = try Self.shippedLists().filter { $0.1 != "help_seeking" }.map { "0.0.0.0 \($0.0)\n" }.joined()
            try dir.write("block.hosts", blocked)
            let log = dir.url.path + "/dnsmasq.log"
            try Self.runResolver([
                "/usr/sbin/dnsmasq", "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces",
                "--no-resolv", "--no-hosts", "--addn-hosts=\(dir.url.path)/block.hosts", "--address=/clothoff.io/0.0.0.0",
                "--log-queries=extra", "--log-facility=\(log)", "--pid-file=\(dir.url.path)/dnsmasq.pid",
                "--user=\(String(cString: getpwuid(getuid())!.pointee.pw_name))",
            ], log: log, until: "query[", count: 7, port: port, pidFile: dir.url.path + "/dnsmasq.pid")

            try h.prepareSpool()
            let run = try Binary.run(["adapt", "--config", h.configPath, "--adapter", "dns", log])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("6 signals") && run.stderr.contains("no_match <5"), "\(run.stderr)")
            let spool = try Self.spoolText(h)
            #expect(spool.components(separatedBy: "\"site\":\"hoofdgebouw\"").count - 1 == 5)
            try h.start()
            try DocumentationTests.expectCounted(h, 6)
            Self.expectNoSecrets(in: ["the spool": spool, "the daemon's log": h.log, "adapt's output": run.stdout + run.stderr])
        }

        /// --follow across rotation by rename and by copytruncate, with real files.
        @Test func followsALogAcrossRotation() throws {
            let h = try Self.harness(format: "unbound-rpz")
            try h.prepareSpool()
            let dir = try TemporaryDirectory()
            let log = dir.url.path + "/unbound.log"
            var serial = 0
            func lines(_ n: Int) -> String {
                (0..<n).map { _ in
                    serial += 1
                    return "[\(Int(Date().timeIntervalSince1970))] unbound[1:0] info: rpz: applied [v] ome.tv. rpz-nxdomain 127.0.0.\(serial % 200 + 2)@\(serial) ome.tv. A IN\n"
                }.joined()
            }
            func append(_ text: String) throws {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
                handle.seekToEndOfFile()
                handle.write(Data(text.utf8))
                try handle.close()
            }
            func signalsInSpool() -> Int {
                ((try? Self.spoolText(h)) ?? "").components(separatedBy: "\n").filter { !$0.isEmpty }.count
            }
            try lines(3).write(toFile: log, atomically: false, encoding: .utf8)
            let p = Process()
            p.executableURL = Binary.url
            p.arguments = ["adapt", "--config", h.configPath, "--adapter", "dns", "--follow", log]
            let err = Pipe()
            p.standardError = err
            try p.run()
            try waitUntil("3 signals", timeout: 30) { signalsInSpool() == 3 }
            try append(lines(2))
            try waitUntil("5 signals", timeout: 30) { signalsInSpool() == 5 }
            // logrotate's default: rename, then a new file under the name.
            try append(lines(1))
            #expect(rename(log, log + ".1") == 0)
            try lines(4).write(toFile: log, atomically: false, encoding: .utf8)
            try waitUntil("10 signals", timeout: 30) { signalsInSpool() == 10 }
            // copytruncate: the file is copied away and emptied in place.
            #expect(truncate(log, 0) == 0)
            try append(lines(2))
            try waitUntil("12 signals", timeout: 30) { signalsInSpool() == 12 }
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus == 0, "\(output)")
            #expect(signalsInSpool() == 12)
            #expect(output.contains("12 signals"), "\(output)")
            try h.start()
            try DocumentationTests.expectCounted(h, 12)
        }

        @Test func checkConfigValidatesTheDomainLists() throws {
            let h = try Self.harness(format: "dnsmasq")
            let dir = try TemporaryDirectory()
            try dir.write("school.list", "# ours\nchat.example.com grooming\nbad_domain help_seeking\nx.example.org help_seking\n")
            let config = try String(contentsOfFile: h.configPath, encoding: .utf8)
                .replacingOccurrences(of: "\(Binary.repositoryRoot.path)/Config/domains/*.list", with: dir.url.path + "/*.list")
            try config.write(toFile: h.configPath, atomically: true, encoding: .utf8)
            let r = try Binary.run(["check-config", "--config", h.configPath])
            #expect(r.status == 1)
            let file = dir.url.path + "/school.list"
            #expect(r.stderr.contains("\(file):3:1: error: \"bad_domain\" is not a domain name"), "\(r.stderr)")
            #expect(r.stderr.contains("\(file):4:15: error: unknown category \"help_seking\""), "\(r.stderr)")
            #expect(r.stderr.contains("hint: did you mean \"help_seeking\"?"))
            #expect(r.stderr.contains("2 errors in the domain lists"))
            #expect(r.stdout.contains("adapter dns: dnsmasq, 1 list file, 1 domains (grooming 1)"), "\(r.stdout)")
            #expect(!r.stdout.contains("configuration OK"))
        }
    }
}
