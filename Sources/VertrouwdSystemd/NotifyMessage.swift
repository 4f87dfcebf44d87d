// NotifyMessage — the sd_notify(3) assignments vertrouwd sends to the
// service manager, rendered as "NAME=value" lines.
//
// Security stance: a status text is free text from the daemon; newlines
// (and NULs, which would cut the C string) become spaces so that a status
// can never forge a second assignment such as READY=1. Logs nothing.

/// One assignment in a readiness notification (sd_notify(3)).
public enum NotifyMessage: Sendable, Equatable {
    /// `READY=1`: start-up finished (store open, spool scanned).
    case ready
    /// `RELOADING=1`: a SIGHUP reload began; send `.ready` when it ends.
    case reloading
    /// `STOPPING=1`: shutdown began.
    case stopping
    /// `WATCHDOG=1`: keep-alive ping, see ``Watchdog/interval()``.
    case watchdog
    /// `STATUS=…`: one line shown by `systemctl status`.
    case status(String)

    /// The assignment as sent, e.g. `READY=1`; always a single line.
    public var assignment: String {
        switch self {
        case .ready: "READY=1"
        case .reloading: "RELOADING=1"
        case .stopping: "STOPPING=1"
        case .watchdog: "WATCHDOG=1"
        case .status(let text): "STATUS=" + Self.singleLine(text)
        }
    }

    /// The datagram for several assignments: one per line.
    public static func render(_ messages: [NotifyMessage]) -> String {
        messages.map(\.assignment).joined(separator: "\n")
    }

    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar {
            case "\n", "\r", "\0": " "
            default: scalar
            }
        }))
    }
}
