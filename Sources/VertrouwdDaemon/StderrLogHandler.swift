// StderrLogHandler — log lines on standard error with the "<N>" priority
// prefixes that journald and syslog understand (sd-daemon(3)), so that a
// daemon started under systemd without the journal API still logs with
// the right levels.
import Logging
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    /// With "<N>" prefixes (for journald/syslog) or plain (for a terminal).
    let prefixed: Bool

    public init(label: String, prefixed: Bool) {
        self.label = label
        self.prefixed = prefixed
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Messages are single lines; a newline inside one would forge a
        // second log record.
        let text = "\(event.message)".replacingOccurrences(of: "\n", with: " ")
        StandardError.write(prefixed ? "<\(JournalFields.priority(event.level))>\(text)\n" : "vertrouwd: \(event.level): \(text)\n")
    }
}

/// Standard error, written with write(2) directly: unbuffered, so a line
/// is out before the process ends or the next line starts.
public enum StandardError {
    /// Writes all of `text` (retrying after EINTR and short writes); gives
    /// up silently when standard error is gone.
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
