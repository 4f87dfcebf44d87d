import GRDB

/// Why the store could not do what it was asked.
///
/// Every kind but `newerSchema` is transient for the daemon: "degraded:
/// stop claiming, retry later". `newerSchema` is permanent (`isPermanent`):
/// no retry can help, so `vertrouwd run` stops with exit status 78
/// (EX_CONFIG) and a message, and systemd does not restart it
/// (RestartPreventExitStatus=78 in vertrouwd.service).
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The disk (or quota) is full.
        case full
        /// The database or its folder is read-only.
        case readOnly = "read_only"
        /// A read or write failed at the OS level.
        case io
        /// The database could not be opened or created.
        case cannotOpen = "cannot_open"
        /// Another process holds the database.
        case busy
        /// The file is damaged or not a SQLite database.
        case corrupt
        /// The database was written by a newer vertrouwd.
        case newerSchema = "newer_schema"
        case other
    }

    public var kind: Kind
    /// SQLite's or the OS's own words, for the log (never signal data).
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(detail)" }

    /// True when retrying cannot help: the database was written by a newer
    /// vertrouwd, which only an upgrade (or restoring a backup) resolves.
    public var isPermanent: Bool { kind == .newerSchema }

    /// Classifies a GRDB error by its SQLite result code; a `StoreError`
    /// thrown inside a database closure passes through as it is.
    init(_ error: any Error) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let db = error as? DatabaseError else {
            self.init(.other, String(describing: error))
            return
        }
        let kind: Kind = switch db.resultCode {
        case .SQLITE_FULL: .full
        case .SQLITE_READONLY: .readOnly
        case .SQLITE_IOERR: .io
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: .cannotOpen
        case .SQLITE_BUSY, .SQLITE_LOCKED: .busy
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: .corrupt
        default: .other
        }
        // The message names the failing operation; SQL text could hold
        // bound values in other code paths, so it is left out.
        self.init(kind, "\(db.resultCode) \(db.message ?? "")")
    }
}
