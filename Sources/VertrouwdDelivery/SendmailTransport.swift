// Delivers e-mail through the local MTA: `sendmail -i -t`, the message on
// stdin (recipients from its To: header).
// Security stance: no shell (posix_spawn); the path comes from the configuration; stdin is
// a socket pair written with MSG_NOSIGNAL, so an MTA that exits early cannot
// kill the daemon with SIGPIPE; the MTA's output is discarded, not logged.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import VertrouwdCore

/// The `sendmail` e-mail route.
public struct SendmailTransport: Transport {
    public let settings: EmailSettings
    /// Hostname for the Message-ID when the from address has no domain.
    public let messageIDDomain: String?

    public init(settings: EmailSettings, messageIDDomain: String? = nil) {
        self.settings = settings
        self.messageIDDomain = messageIDDomain
    }

    public func deliver(_ message: OutgoingMessage, to recipient: String) async -> DeliveryResult {
        let from = MIMEMessage.address(settings.from)
        let to = MIMEMessage.address(recipient)
        guard SMTPTransport.isMailbox(to) else { return .permanent("invalid recipient address") }
        let domain = messageIDDomain ?? from.split(separator: "@").last.map(String.init) ?? "localhost"
        let bytes = MIMEMessage.render(message, from: from, fromName: settings.fromName, replyTo: settings.replyTo,
                                       to: to, messageIDDomain: domain)
        let path = settings.sendmailPath
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Self.run(path: path, input: bytes))
            }
        }
    }

    /// Runs the MTA and maps its exit status (sysexits.h): 0 → delivered,
    /// 75 EX_TEMPFAIL → retry, anything else → permanent.
    static func run(path: String, input: [UInt8]) -> DeliveryResult {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return .permanent("sendmail not found or not executable at \(path)")
        }
        var fds: [Int32] = [-1, -1]
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { return .retry("cannot create pipe to sendmail") }
        let parentEnd = fds[0]
        defer { close(parentEnd) }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(path, ["-i", "-t"], stdin: fds[1])
        } catch {
            close(fds[1])
            return .permanent("cannot run sendmail at \(path)")
        }
        close(fds[1])
        shutdown(parentEnd, Int32(SHUT_RD))

        var written = 0
        var writeFailed = false
        input.withUnsafeBytes { raw in
            while written < raw.count {
                let n = send(parentEnd, raw.baseAddress! + written, raw.count - written, Int32(MSG_NOSIGNAL))
                if n > 0 {
                    written += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    writeFailed = true
                    return
                }
            }
        }
        shutdown(parentEnd, Int32(SHUT_WR))

        switch child.wait() {
        case .signalled(let signal):
            return .retry("sendmail killed by signal \(signal)")
        case .exited(0) where !writeFailed:
            return .delivered
        case .exited(0):
            return .retry("sendmail did not read the whole message")
        case .exited(75):
            return .retry("sendmail: temporary failure (exit 75)")
        case .exited(let status):
            return .permanent("sendmail failed (exit \(status))")
        }
    }
}
