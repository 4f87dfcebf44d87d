import Glibc
import Testing
import VertrouwdSpool

@Suite("Descriptors that never reach a child")
struct CloseOnExecTests {
    func isCloseOnExec(_ fd: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFD)
        return flags >= 0 && flags & FD_CLOEXEC != 0
    }

    @Test func aPipeIsCloseOnExecAndNonBlockingWhenAsked() throws {
        let plain = try #require(CloseOnExec.pipe())
        defer { close(plain.read); close(plain.write) }
        #expect(isCloseOnExec(plain.read) && isCloseOnExec(plain.write))
        #expect(fcntl(plain.read, F_GETFL) & O_NONBLOCK == 0)

        let quick = try #require(CloseOnExec.pipe(nonBlocking: true))
        defer { close(quick.read); close(quick.write) }
        #expect(isCloseOnExec(quick.read) && isCloseOnExec(quick.write))
        #expect(fcntl(quick.read, F_GETFL) & O_NONBLOCK != 0 && fcntl(quick.write, F_GETFL) & O_NONBLOCK != 0)
        var byte: UInt8 = 7
        #expect(write(quick.write, &byte, 1) == 1)
        var back: UInt8 = 0
        #expect(read(quick.read, &back, 1) == 1 && back == 7)
        #expect(read(quick.read, &back, 1) == -1 && errno == EAGAIN)
    }

    @Test func anAcceptedConnectionIsCloseOnExec() throws {
        try withSpool { spool in
            let path = spool.root + "/listen.sock"
            let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            defer { close(listener) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
            let size = socklen_t(MemoryLayout<sockaddr_un>.size)
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, size) } }
            #expect(bound == 0 && listen(listener, 1) == 0)
            let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(client) }
            let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, size) } }
            #expect(connected == 0)
            let accepted = CloseOnExec.accept(listener)
            defer { close(accepted) }
            #expect(accepted >= 0 && isCloseOnExec(accepted))
        }
    }
}
