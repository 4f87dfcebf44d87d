// ControlSocket — requests from the administrator to the running daemon
// (issue 15 §1): today one, `send-test`, which has the daemon send a
// marked test message by each of its routes and answer what each did. The
// test then runs inside the service — its sandbox, its IPAddressDeny, its
// user — which a test from root's shell cannot show.
//
// The socket sits next to the state database ("<state dir>/control.sock",
// mode 0600), so it needs no config of its own and is only reachable by
// whoever may read the state. Security stance: the peer's uid (SO_PEERCRED)
// must be root's or the daemon's own, else `err not_allowed`; one request
// line of at most 256 bytes per connection, 10 s to send it; nothing the
// peer sends is logged or echoed.
//
// Protocol: the peer sends "send-test\n"; the daemon answers one line per
// recipient and route, "route", recipient, email|socket,
// delivered|temporary|refused and the reason, separated by tabs; then "ok". An unknown request gets "err unknown_request".
//
// Logs: "control: send-test asked" at notice level, each result at info.
import Foundation
import Logging
import VertrouwdSpool
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

public final class ControlSocket: Sendable {
    /// Answers one request line with the lines to send back.
    public typealias Handler = @Sendable (String) async -> [String]

    let listener: Int32
    let handler: Handler
    let logger: Logger
    let stopPipe: (read: Int32, write: Int32)

    /// Where the control socket of a daemon with this state database is.
    public static func path(forState statePath: String) -> String {
        let directory = (statePath as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "." : directory) + "/control.sock"
    }

    public init(path: String, logger: Logger, handler: @escaping Handler) throws {
        listener = try UnixListener.bind(path: path, mode: 0o600)
        guard let pipe = CloseOnExec.pipe() else {
            close(listener)
            throw UnixListener.Failure(description: "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        stopPipe = pipe
        self.logger = logger
        self.handler = handler
    }

    deinit {
        close(listener)
        close(stopPipe.read)
        close(stopPipe.write)
    }

    public func stop() {
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
    }

    /// Serves one connection at a time until `stop()`. Blocking.
    func run() {
        while true {
            var fds = [pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { return }
            if fds[0].revents != 0 { return }
            guard fds[1].revents & Int16(POLLIN) != 0 else { continue }
            let client = CloseOnExec.accept(listener)
            guard client >= 0 else { continue }
            serve(client)
            close(client)
        }
    }

    /// Root and the daemon's own user may ask.
    static func mayAsk(uid: UInt32) -> Bool { uid == 0 || uid == getuid() }

    func serve(_ client: Int32) {
        guard let peer = PeerCredentials.of(client), Self.mayAsk(uid: peer.uid) else {
            logger.warning("control socket: refused a peer that is neither root nor the daemon's user", metadata: ["event": "control_refused"])
            send(client, "err not_allowed\n")
            return
        }
        guard let request = readRequest(client) else {
            send(client, "err bad_request\n")
            return
        }
        let semaphore = DispatchSemaphore(value: 0)
        let box = AnswerBox()
        let handler = self.handler
        Task {
            box.lines = await handler(request)
            semaphore.signal()
        }
        semaphore.wait()
        send(client, box.lines.map { $0 + "\n" }.joined())
    }

    /// One line of at most 256 bytes, within 10 s.
    func readRequest(_ client: Int32) -> String? {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while line.count <= 256 {
            let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            line += buffer[0..<n]
            if let newline = line.firstIndex(of: 0x0A) {
                return String(decoding: line[..<newline], as: UTF8.self)
            }
        }
        return nil
    }

    func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}

/// The handler's answer, handed from its task to the serving thread.
private final class AnswerBox: @unchecked Sendable {
    var lines: [String] = []
}
