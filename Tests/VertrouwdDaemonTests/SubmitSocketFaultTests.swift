import Foundation
import Logging
import Testing
import VertrouwdConfig
import VertrouwdCore
@testable import VertrouwdDaemon
import VertrouwdSpool

#if canImport(Glibc)
import Glibc
#endif

/// The submit socket in-process, on a real Unix socket and a real spool.
@Suite struct SubmitSocketFaultTests {
    let root = NSTemporaryDirectory() + "vertrouwd-submit-\(UUID().uuidString)"
    var socketPath: String { root + "/submit.sock" }

    func configuration() throws -> Configuration {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // The peer is this process: let its own group in.
        let group = String(cString: getgrgid(getgid())!.pointee.gr_name)
        return try schoolConfiguration(root: root, extra: """
            [submit]
            allowed_groups = ["\(group)"]
            """)
    }

    /// A socket serving on a thread of its own; `body` gets it, then it is
    /// stopped and its thread waited for.
    func serving(spoolSystem: SpoolSystemCalls = .real, _ body: (SubmitSocket) throws -> Void) throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try configuration()
        let listener = try SubmitSocket.bind(path: socketPath)
        defer { close(listener) }
        let socket = try SubmitSocket(listeners: [listener], configuration: config,
                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                      spoolSystem: spoolSystem)
        let thread = Thread { socket.run() }
        thread.start()
        defer {
            socket.stop()
            try? waitFor { thread.isFinished }
        }
        try body(socket)
    }

    static func signal(_ n: Int) -> String {
        let ts = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
        return #"{"v":1,"id":"submit-\#(n)-\#(UUID().uuidString)","ts":"\#(ts)","source":"webfilter","category":"grooming"}"# + "\n"
    }

    @Test func theStopPipeIsNotInheritedByChildren() throws {
        try serving { socket in
            for fd in [socket.stopPipe.read, socket.stopPipe.write] {
                let flags = fcntl(fd, F_GETFD)
                #expect(flags >= 0 && flags & FD_CLOEXEC != 0, "descriptor \(fd) would leak into a sendmail child")
            }
        }
    }

    @Test func aFailedSyncOfTheSpoolIsAnsweredWithAReason() throws {
        let failingFolderSync = SpoolSystemCalls(fsync: { fd in
            var st = stat()
            guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return Glibc.fsync(fd) }
            errno = EIO
            return -1
        }, dup: { Glibc.dup($0) })
        try serving(spoolSystem: failingFolderSync) { _ in
            let fd = try Self.connect(socketPath)
            defer { close(fd) }
            #expect(Self.send(fd, Self.signal(1)))
            #expect(Self.readLine(fd) == "err 1 spool_unavailable", "an answer `ok` would promise a signal that is not durable")
        }
    }

    /// 64 producers hold every slot; the 65th is told `busy` in a line it
    /// can read, and a slot that frees up is used again.
    @Test func connectionsBeyondTheLimitAreRefusedWithBusy() throws {
        try serving { _ in
            var held: [Int32] = []
            defer { held.forEach { close($0) } }
            for n in 0..<SubmitSocket.maxConnections {
                let fd = try Self.connect(socketPath)
                held.append(fd)
                // An answer proves the connection holds a slot.
                #expect(Self.send(fd, Self.signal(n)))
                #expect(Self.readLine(fd) == "ok 1")
            }
            let extra = try Self.connect(socketPath)
            defer { close(extra) }
            #expect(Self.send(extra, Self.signal(100)), "the refused peer's write must not fail (EPIPE)")
            #expect(Self.readLine(extra) == "err 0 busy")
            #expect(Self.readLine(extra) == nil, "end of stream after the refusal")

            close(held.removeLast())
            var answer: String?
            try waitFor {
                let fd = (try? Self.connect(socketPath)) ?? -1
                defer { close(fd) }
                guard fd >= 0, Self.send(fd, Self.signal(200)) else { return false }
                answer = Self.readLine(fd)
                return answer == "ok 1"
            }
            #expect(answer == "ok 1")
        }
    }
}

extension SubmitSocketFaultTests {
    /// Connects to the Unix socket at `path` (answers time out after 30 s).
    static func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in for (i, b) in path.utf8.enumerated() { buf[i] = b } }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Sends all of `text`; false when send(2) failed.
    static func send(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// One line without its newline; nil at end of stream or on a timeout.
    static func readLine(_ fd: Int32) -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }

    func waitFor(timeout: TimeInterval = 15, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw CancellationError() }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
