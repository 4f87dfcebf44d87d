/// What the ingest loop tells the world about itself: the daemon turns
/// these into log lines and (under systemd) sd_notify STATUS/READY.
public enum IngestEvent: Sendable, Equatable {
    /// The store is open and the spool is watched (or the daemon is up but
    /// degraded); a backlog may still be waiting.
    case ready
    /// The store cannot write (full, read-only …): claiming stopped.
    case degraded(reason: String)
    /// Writing works again; claiming resumed.
    case resumed
    /// A pass over the spool finished with this many files left waiting.
    case idle
}
