// SubmitSocket — producers hand over signals on a Unix socket (DESIGN §3).
//
// The socket comes from systemd (socket activation, vertrouwd-submit.socket)
// or is bound from submit.socket. Security stance: the peer's uid/gid come
// from SO_PEERCRED and must belong to one of submit.allowed_groups (root is
// not let in by default); a refused peer gets `err 0 not_allowed` and is
// disconnected — after what it already sent is read and thrown away, so
// that its own write does not fail with EPIPE before it reads the reason.
// At most `maxConnections` peers are served at once; one more gets
// `err 0 busy` the same way. Each line is validated with the daemon's own
// rules and answered `ok N` only after the signal is durable — written to
// the spool with fsync and rename, where the ingest loop counts it — or
// `err N <reason>`. Every descriptor is close-on-exec from its start, so
// none reaches a sendmail child. Nothing a peer sends is ever logged or
// echoed; a refusal is logged without the peer's identity.
import Foundation
import Logging
import Synchronization
import VertrouwdCore
import VertrouwdSpool
import VertrouwdSystemd

public final class SubmitSocket: Sendable {
    let listeners: [Int32]
    /// What a reload may change: the spool, the vocabularies, the groups.
    private struct Rules {
        var spool: SpoolDirectory
        var validator: SignalValidator
        var allowedGroups: [String]
    }
    private let rules: Mutex<Rules>
    let maxLineBytes: Int
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// The spool's system calls (a test makes them fail).
    let spoolSystem: SpoolSystemCalls
    /// A byte written here ends `run`.
    let stopPipe: (read: Int32, write: Int32)
    /// Connections being served now, at most `maxConnections`.
    private let served = Atomic<Int>(0)

    /// How many producers are served at once. Each connection has a thread
    /// of its own (so a slow producer cannot hold up the others) with a
    /// 64 KiB buffer and up to 30 s of patience; without a bound, a local
    /// peer that opens connections and sends nothing would make the daemon
    /// start threads until memory or descriptors ran out. A school's
    /// producers (a few filters and forms) open a handful at once; 64 is
    /// also the listen backlog.
    static let maxConnections = 64

    /// The stop pipe could not be made (the process is out of descriptors).
    public struct SetupFailure: Error, CustomStringConvertible {
        public let errno: Int32
        public var description: String { "cannot make a pipe: \(String(cString: strerror(errno)))" }
    }

    /// Binds the submit socket at `path`, mode 0660 (the producers' group).
    public static func bind(path: String) throws -> Int32 {
        try UnixListener.bind(path: path, mode: 0o660)
    }

    public init(listeners: [Int32], configuration: Configuration, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                spoolSystem: SpoolSystemCalls = .real) throws(SetupFailure) {
        self.listeners = listeners
        self.spoolSystem = spoolSystem
        self.rules = Mutex(Self.rules(for: configuration, spoolSystem))
        self.maxLineBytes = SignalValidator.defaultMaxLineBytes
        self.logger = logger
        self.clock = clock
        guard let pipe = CloseOnExec.pipe() else { throw SetupFailure(errno: errno) }
        self.stopPipe = pipe
    }

    deinit {
        close(stopPipe.read)
        close(stopPipe.write)
    }

    private static func rules(for c: Configuration, _ spoolSystem: SpoolSystemCalls) -> Rules {
        Rules(spool: SpoolDirectory(root: c.spool.path, system: spoolSystem),
              validator: SignalValidator(configuration: c),
              allowedGroups: c.submit.allowedGroups)
    }

    /// Takes the rules of a reloaded configuration.
    public func reload(_ configuration: Configuration) {
        let new = Self.rules(for: configuration, spoolSystem)
        rules.withLock { $0 = new }
    }

    public func stop() {
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
    }

    /// Accepts and serves connections until `stop()`. Blocking: run it on
    /// a thread of its own.
    public func run() {
        var refused = RefusedPeers(capacity: Self.maxConnections)
        defer { refused.closeAll() }
        var busyLog = BusyLog()
        while true {
            // While as many refused peers are drained as may be, new
            // connections wait in the listen backlog.
            let accepting = !refused.isFull
            var fds = [pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
            if accepting { fds += listeners.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) } }
            fds += refused.descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let timeout = refused.timeoutMilliseconds(now: Self.monotonicNow())
            guard poll(&fds, nfds_t(fds.count), timeout) >= 0 || errno == EINTR else { return }
            if fds[0].revents != 0 { return }
            let listening = accepting ? listeners.count : 0
            for listener in fds[1..<(1 + listening)] where listener.revents & Int16(POLLIN) != 0 {
                let client = CloseOnExec.accept(listener.fd)
                guard client >= 0 else { continue }
                // Only this thread adds, so the count cannot pass the bound.
                if served.load(ordering: .sequentiallyConsistent) < Self.maxConnections {
                    start(client)
                } else {
                    refused.add(client, answer: "err 0 busy\n", now: Self.monotonicNow())
                    if let count = busyLog.refused(now: Self.monotonicNow()) {
                        logger.warning("submit socket: \(Self.maxConnections) producers connected; refused \(count) more (busy)",
                                       metadata: ["event": "submit_busy"])
                    }
                }
            }
            let ready = Set(fds[(1 + listening)...].filter { $0.revents != 0 }.map(\.fd))
            refused.drain(ready: ready, now: Self.monotonicNow())
        }
    }

    /// Serves `client` on a thread of its own, so a slow producer cannot
    /// hold up the others.
    private func start(_ client: Int32) {
        served.add(1, ordering: .sequentiallyConsistent)
        let thread = Thread { [self] in
            serve(client)
            close(client)
            served.subtract(1, ordering: .sequentiallyConsistent)
        }
        thread.start()
    }

    /// Busy refusals are logged at most once a minute, with how many there were.
    private struct BusyLog {
        var last: UInt64?
        var count = 0

        mutating func refused(now: UInt64) -> Int? {
            count += 1
            if let last, now - last < 60_000_000_000 { return nil }
            defer { last = now; count = 0 }
            return count
        }
    }

    static func monotonicNow() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func serve(_ client: Int32) {
        let allowedGroups = rules.withLock { $0.allowedGroups }
        guard let peer = PeerCredentials.of(client),
              PeerCredentials.isMember(uid: peer.uid, gid: peer.gid, ofAnyGroup: allowedGroups) else {
            logger.warning("submit socket: refused a peer outside submit.allowed_groups", metadata: ["event": "submit_refused"])
            refuse(client, "err 0 not_allowed\n")
            return
        }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var number = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            pending += buffer[0..<n]
            while let newline = pending.firstIndex(of: 0x0A) {
                number += 1
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                send(client, answer(line, number: number))
            }
            if pending.count > maxLineBytes {
                number += 1
                refuse(client, "err \(number) line_too_long\n")
                return
            }
        }
    }

    /// `ok N` once the signal is in the spool, durable; `err N reason`.
    func answer(_ line: [UInt8], number: Int) -> String {
        if SignalValidator.isBlank(line) { return "err \(number) blank\n" }
        let (validator, spool) = rules.withLock { ($0.validator, $0.spool) }
        switch validator.validate(line: line, now: clock()) {
        case .failure(let rejection):
            return "err \(number) \(rejection.reason.rawValue)\n"
        case .success:
            do {
                do {
                    _ = try spool.drop(line + [0x0A])
                } catch {
                    // Socket activation can hand over a producer before the
                    // ingest loop has made the spool's folders.
                    try spool.prepare()
                    _ = try spool.drop(line + [0x0A])
                }
                return "ok \(number)\n"
            } catch {
                logger.error("submit socket: cannot write to the spool: \(error.message)", metadata: ["event": "submit_spool_failed"])
                return "err \(number) spool_unavailable\n"
            }
        }
    }

    /// Sends the last answer and closes gently: shuts down the write side
    /// (the peer reads the answer, then end of stream) and reads until the
    /// peer's end of stream, `lingerBytes` or `lingerSeconds`, throwing
    /// what it reads away. Closing at once would turn the peer's next write
    /// into EPIPE, and a producer would see "broken pipe" instead of the
    /// reason. Nothing read here is looked at.
    func refuse(_ fd: Int32, _ text: String) {
        send(fd, text)
        shutdown(fd, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let deadline = Self.monotonicNow() + UInt64(Self.lingerSeconds) * 1_000_000_000
        var discarded = 0
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while discarded < Self.lingerBytes, Self.monotonicNow() < deadline {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            discarded += n
        }
    }
    static let lingerBytes = 1 << 20
    static let lingerSeconds = 5

    func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        // MSG_NOSIGNAL: a peer gone before its answer is EPIPE, not SIGPIPE
        // (the daemon ignores SIGPIPE too; this keeps the class safe alone).
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

