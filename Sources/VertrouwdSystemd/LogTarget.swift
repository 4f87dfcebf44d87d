// LogTarget — where the daemon's logs should go: the journal, standard
// error with "<N>" priority prefixes, or plain standard error.
//
// Security stance: JOURNAL_STREAM is inherited and could be stale (a child
// of a service whose stderr was redirected); it is believed only when its
// device and inode match standard error as fstat(2) sees it, as
// sd_journal_stream_fd(3) recommends. Logs nothing.
#if canImport(Glibc)
import Glibc
#endif

/// The destination for log records.
public enum LogTarget: Sendable, Equatable {
    /// The journal's native protocol (``JournalLogHandler``).
    case journal
    /// Standard error with "<N>" prefixes (syslog, or a journal stream
    /// that cannot be verified).
    case stderrPrefixed
    /// Standard error as plain text (a terminal).
    case stderrPlain

    /// Journal when JOURNAL_STREAM names standard error; otherwise
    /// prefixed when standard error is not a terminal; plain on a terminal.
    public static func detect() -> LogTarget {
        detect(journalStream: getenv("JOURNAL_STREAM").map { String(cString: $0) }, standardError: STDERR_FILENO)
    }

    /// ``detect()`` for a given JOURNAL_STREAM value and descriptor.
    public static func detect(journalStream: String?, standardError fd: Int32) -> LogTarget {
        if let journalStream, let (device, inode) = parse(journalStream) {
            var st = stat()
            if fstat(fd, &st) == 0, UInt64(st.st_dev) == device, UInt64(st.st_ino) == inode {
                return .journal
            }
        }
        return isatty(fd) == 0 ? .stderrPrefixed : .stderrPlain
    }

    /// "<device>:<inode>", both decimal.
    static func parse(_ value: String) -> (UInt64, UInt64)? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        return (device, inode)
    }
}
