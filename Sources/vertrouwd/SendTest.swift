// `vertrouwd send-test`: a clearly marked test message to every recipient
// over every configured route, with what happened per route. Exit status
// 0 when every route delivered, 1 if not.
//
// It asks the running daemon, over its control socket next to the state
// database, so that the test runs inside the service — its sandbox, its
// IPAddressDeny, its user — and reports what the daemon saw. Only when no
// daemon answers does it send from this shell, and it says so: that shows
// the relay works from here, not that the service can reach it.
import ArgumentParser
import Foundation
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdDelivery
import VertrouwdStore

#if canImport(Glibc)
import Glibc
#endif

struct SendTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test",
        abstract: "Have the running daemon send a test message over every configured route and report what happened.",
        discussion: "Asks the daemon over its control socket (control.sock next to the state database). When no daemon answers, sends from this shell instead and says so."
    )

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let (configuration, _) = try loadConfiguration(options.config)
        let path = ControlSocket.path(forState: configuration.state.path)
        let results: [DirectResult]
        if let answer = ControlClient.ask("send-test", path: path) {
            guard answer.last == "ok" else {
                printError("vertrouwd: send-test through the daemon failed: \(answer.last ?? "no answer")")
                throw ExitCode(1)
            }
            print("sent by the running daemon (\(path))")
            results = answer.compactMap(SendTestRequest.parse)
        } else {
            print("no daemon answers on \(path): sending from this shell, outside the service's sandbox")
            results = try await sendDirectly(configuration)
        }
        if results.isEmpty {
            printError("vertrouwd: no route is configured")
            throw ExitCode(1)
        }
        var failures = 0
        for r in results.sorted(by: { ($0.route.rawValue, $0.recipient) < ($1.route.rawValue, $1.recipient) }) {
            let what: String
            switch r.outcome {
            case "delivered": what = "delivered"
            case "temporary": what = "not delivered (temporary): \(r.reason)"; failures += 1
            default: what = "refused: \(r.reason)"; failures += 1
            }
            print("\(r.recipient) by \(r.route == .email ? "e-mail" : "socket"): \(what)")
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// No daemon: the same message through this process's own transports.
    func sendDirectly(_ configuration: Configuration) async throws -> [DirectResult] {
        let transports: [OutboxEntry.Route: any Transport]
        do {
            transports = try Transports.make(for: configuration, fileSystem: LocalConfigFileSystem())
        } catch {
            printError("vertrouwd: \(error)")
            throw ExitCode(2)
        }
        let now = Int64(Date().timeIntervalSince1970)
        var results: [DirectResult] = []
        for recipient in configuration.recipients {
            let message = SendTestRequest.message(for: recipient, schoolName: configuration.school.name, id: AlertEvaluator.newID(), now: now)
            for (route, transport) in transports.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if route == .email && recipient.email == nil { continue }
                let (outcome, reason): (String, String) = switch await transport.deliver(message, to: recipient.email ?? "") {
                case .delivered: ("delivered", "")
                case .retry(let why): ("temporary", why)
                case .permanent(let why): ("refused", why)
                }
                results.append(DirectResult(recipient: recipient.name, route: route, outcome: outcome, reason: reason))
            }
        }
        return results
    }
}

/// One request to the daemon's control socket.
enum ControlClient {
    /// The answer's lines (the daemon hangs up after the last), or nil
    /// when nothing listens at `path` (no daemon, or a stale socket); an
    /// "err …" line when the socket is there but cannot be reached. Waits
    /// up to 120 s: an SMTP attempt against a silent relay can take a while.
    static func ask(_ request: String, path: String) -> [String]? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0, path.utf8.count < 108 else { return nil }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in for (i, b) in path.utf8.enumerated() { buf[i] = b } }
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            // No daemon (no socket, or a stale one). Anything else, such as
            // EACCES for a user who may not read the state folder, is not
            // "no daemon": sending from here would mislead.
            if errno == ENOENT || errno == ECONNREFUSED { return nil }
            return ["err cannot connect to \(path): \(String(cString: strerror(errno)))"]
        }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array((request + "\n").utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return nil }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            data += buffer[0..<n]
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        return lines.isEmpty ? ["err no answer"] : lines
    }
}
