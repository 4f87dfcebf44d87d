// `vertrouwd listen`: the reference receiver for the socket route
// (DESIGN §7). Binds a Unix stream socket, prints every alert and summary
// it receives, and acknowledges each with {"ack":"<id>"} once printed.
//
// Security stance: the socket is created with the given mode (0660 by
// default, so the daemon's group can connect); a stale socket from an
// earlier run is replaced, any other file at that path is refused.
import ArgumentParser
import Foundation
import VertrouwdDaemon

#if canImport(Glibc)
import Glibc
#endif

struct Listen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Receive alerts and summaries on a Unix socket and print them.",
        discussion: "Point [delivery.socket] path at the same socket. Each message is acknowledged after it is printed."
    )

    @Option(name: .long, help: ArgumentHelp("The socket to listen on.", valueName: "path"))
    var socket: String

    @Flag(name: .long, help: "Print each message as its raw JSON line.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Permissions of the socket, in octal.", valueName: "mode"))
    var mode: String = "0660"

    func validate() throws {
        guard UInt32(mode, radix: 8) != nil else { throw ValidationError("--mode must be octal, such as 0660") }
        guard socket.utf8.count < 108 else { throw ValidationError("--socket: the path is too long for a Unix socket (at most 107 bytes)") }
    }

    func run() throws {
        let fd = try bindSocket()
        defer { close(fd); unlink(socket) }
        printError("vertrouwd listen: waiting for messages on \(socket)")
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                printError("vertrouwd listen: accept: \(String(cString: strerror(errno)))")
                throw ExitCode(1)
            }
            serve(client)
            close(client)
        }
    }

    func bindSocket() throws -> Int32 {
        do {
            return try UnixListener.bind(path: socket, mode: mode_t(UInt32(mode, radix: 8)!))
        } catch {
            printError("vertrouwd listen: \(error)")
            throw ExitCode(2)
        }
    }

    /// Reads lines from one connection until it closes.
    func serve(_ client: Int32) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            pending += buffer[0..<n]
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if let id = handle(line) {
                    let ack = Array("{\"ack\":\"\(id)\"}\n".utf8)
                    // A daemon that gave up waiting has hung up: EPIPE, not SIGPIPE.
                    _ = ack.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
            }
            guard pending.count <= 16 << 20 else { return } // not a vertrouwd peer
        }
    }

    /// Prints one message; returns its id to acknowledge, or nil.
    func handle(_ line: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let id = object["id"] as? String, id.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C })
        else {
            printError("vertrouwd listen: ignored a line that is not a vertrouwd message")
            return nil
        }
        var out: String
        if json {
            out = String(decoding: line, as: UTF8.self) + "\n"
        } else {
            let type = object["type"] as? String ?? "message"
            let heading = type == "alert" ? "alert \(object["rule"] as? String ?? "")" : type == "summary" ? "summary \(object["week"] as? String ?? "")" : type
            out = "──── \(heading) ────\n" + (object["text"] as? String ?? "") + "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        return id
    }
}
