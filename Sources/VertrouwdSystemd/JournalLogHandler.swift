// JournalLogHandler — a swift-log handler that writes structured records to
// the journal over its native protocol (sd_journal_sendv(3)).
//
// Security stance: one iovec per field, so a newline in a message or value
// cannot forge a second record or field; metadata keys are confined to
// VERTROUWD_* (see JournalFields). If the journal refuses a record, the
// record goes to standard error with a "<N>" prefix instead, on one line.
import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Logs to the systemd journal with PRIORITY, SYSLOG_IDENTIFIER,
/// VERTROUWD_EVENT, CODE_* and VERTROUWD_<KEY> fields.
public struct JournalLogHandler: LogHandler {
    /// The least important level that is logged.
    public var logLevel: Logger.Level = .info
    /// Metadata added to every record of this handler.
    public var metadata: Logger.Metadata = [:]
    /// The logger's label (not sent: SYSLOG_IDENTIFIER is always vertrouwd).
    public let label: String

    /// A handler for the logger `label`, at level info.
    public init(label: String) {
        self.label = label
    }

    /// Handler metadata; a record's own metadata wins on equal keys.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Sends one record; falls back to a "<N>" line on standard error
    /// when the journal does not take it.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        let fields = JournalFields.make(level: event.level, message: "\(event.message)", metadata: merged,
                                        file: event.file, function: event.function, line: event.line)
        if Self.send(fields) < 0 {
            Self.fallback(level: event.level, message: "\(event.message)")
        }
    }

    /// Sends the fields as one record; sd_journal_sendv's result.
    static func send(_ fields: [(name: String, value: String)]) -> Int32 {
        // One buffer holding "NAME=value" back to back; the iovecs point
        // into it, so it must stay put while sd_journal_sendv runs.
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = buffer.count
            buffer.append(contentsOf: field.name.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: field.value.utf8)
            ranges.append(start..<buffer.count)
        }
        return buffer.withUnsafeMutableBytes { bytes in
            let vectors = ranges.map { range in
                iovec(iov_base: bytes.baseAddress! + range.lowerBound, iov_len: range.count)
            }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }

    /// The journal is gone: one "<N>" line on standard error.
    static func fallback(level: Logger.Level, message: String) {
        let text = message.replacingNewlines()
        var bytes = Array("<\(JournalFields.priority(level))>\(text)\n".utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : $0 }))
    }
}
