import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Connects to the submit socket, waiting until the daemon listens.
func connectWhenReady(_ path: String) throws -> Int32 {
    var fd: Int32 = -1
    try waitUntil("the submit socket accepts", timeout: 15) {
        fd = connectUnix(path)
        return fd >= 0
    }
    return fd
}

/// Sends `text` without SIGPIPE; returns what send(2) returned.
func sendAll(_ fd: Int32, _ text: String) -> Int {
    Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
}

/// Sends `text` and reads `lines` answer lines.
func converse(_ path: String, _ text: String, lines: Int) throws -> [String] {
    let fd = try connectWhenReady(path)
    defer { close(fd) }
    _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    return (0..<lines).compactMap { _ in readLine(fd) }
}

extension Integration {
    @Suite struct SubmitSocketTests {
        static func config(_ path: String, groups: String) -> String {
            "[submit]\nsocket = \"\(path)\"\nallowed_groups = [\(groups)]\n"
        }

        @Test func eachLineIsAnsweredAndValidOnesAreCounted() throws {
            let dir = try TemporaryDirectory()
            let path = dir.url.path + "/submit.sock"
            let h = try DaemonHarness(extra: Self.config(path, groups: "\"root\""))
            try h.start()
            let text = [Lines.signal(), Lines.signal(), Lines.signal([("source", "\"onbekend\"")]),
                        Lines.signal([("site", "\"piet.pieters@example.nl\"")])].joined(separator: "\n") + "\n"
            let answers = try converse(path, text, lines: 4)
            #expect(answers == ["ok 1", "ok 2", "err 3 unknown_source", "err 4 pii_email"])
            try h.waitUntilDrained()
            try waitUntil("counted", timeout: 10) { (try? h.total()) == 2 }
            #expect(h.stop() == 0)
            #expect(!h.log.contains("piet.pieters") && !h.log.contains("onbekend"))
        }

        @Test func aPeerOutsideTheAllowedGroupsIsRefused() throws {
            let dir = try TemporaryDirectory()
            let path = dir.url.path + "/submit.sock"
            let h = try DaemonHarness(extra: Self.config(path, groups: "\"nogroup\""))
            try h.start()
            #expect(try converse(path, Lines.signal() + "\n", lines: 1) == ["err 0 not_allowed"])
            #expect(h.stop() == 0)
            #expect(try h.total() == 0)
        }

        /// The daemon answers a refused peer and only then hangs up, after
        /// reading what the peer sent: the peer's write must not fail with
        /// EPIPE before it could read the reason. The peer writes only once
        /// the daemon has logged the refusal.
        @Test func aRefusedPeerThatWritesLateStillReadsTheReason() throws {
            let dir = try TemporaryDirectory()
            let path = dir.url.path + "/submit.sock"
            let h = try DaemonHarness(extra: Self.config(path, groups: "\"nogroup\""))
            try h.start()
            let refusals = h.occurrences(of: "refused a peer")
            let fd = try connectWhenReady(path)
            defer { close(fd) }
            try waitUntil("the daemon refused the peer", timeout: 10) { h.occurrences(of: "refused a peer") > refusals }
            let text = String(repeating: Lines.signal() + "\n", count: 200)
            let written = sendAll(fd, text)
            let sendErrno = errno
            #expect(written == text.utf8.count, "send failed: errno \(sendErrno)")
            #expect(readLine(fd) == "err 0 not_allowed")
            #expect(readLine(fd) == nil)
            #expect(h.stop() == 0)
            #expect(try h.total() == 0)
        }

        /// A producer that sends and hangs up without reading its answers
        /// must not take the daemon down (SIGPIPE on the answer's write).
        @Test func producersThatHangUpBeforeTheirAnswersCannotStopTheDaemon() throws {
            let dir = try TemporaryDirectory()
            let path = dir.url.path + "/submit.sock"
            let h = try DaemonHarness(extra: Self.config(path, groups: "\"root\""))
            try h.start()
            var sent = 0
            for round in 0..<20 {
                let fd = try connectWhenReady(path)
                // A too-long line in every other round takes the refusal path.
                let text = round % 2 == 0
                    ? String(repeating: Lines.signal() + "\n", count: 20)
                    : String(repeating: "x", count: 70_000)
                if round % 2 == 0 { sent += 20 }
                _ = sendAll(fd, text)
                close(fd)
            }
            #expect(try converse(path, Lines.signal() + "\n", lines: 1) == ["ok 1"])
            #expect(h.process?.isRunning == true)
            try h.waitUntilDrained()
            // Every line the daemon answered is counted; a line it had not
            // read yet when the peer hung up is the peer's to send again.
            let total = try h.total()
            #expect(total >= 1 && total <= sent + 1)
            #expect(h.stop() == 0)
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate")))
        func socketActivationThroughSystemdSocketActivate() throws {
            let dir = try TemporaryDirectory()
            let path = dir.url.path + "/activated.sock"
            // No submit.socket in the config: the socket can only come from systemd.
            let h = try DaemonHarness(extra: "[submit]\nallowed_groups = [\"root\"]\n")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-socket-activate")
            p.arguments = ["-l", path, Binary.url.path, "run", "--config", h.configPath]
            p.standardError = Pipe()
            p.standardOutput = Pipe()
            try p.run()
            defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
            #expect(try converse(path, Lines.signal() + "\n", lines: 1) == ["ok 1"])
            try waitUntil("counted", timeout: 15) { (try? h.total()) == 1 }
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
    }
}
