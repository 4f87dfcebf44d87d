import VertrouwdCore

/// One spool file's worth of work for the store: its digest, the signals
/// that passed validation, and the reasons its other lines were rejected.
public struct IngestFile: Sendable {
    /// SHA-256 of the file's bytes.
    public var digest: [UInt8]
    public var signals: [Signal]
    /// One entry per rejected line (for the health counters).
    public var rejections: [RejectReason]

    public init(digest: [UInt8], signals: [Signal], rejections: [RejectReason]) {
        precondition(digest.count == 32, "a file digest is a SHA-256")
        self.digest = digest
        self.signals = signals
        self.rejections = rejections
    }
}

/// What the store did with one file.
public struct IngestOutcome: Hashable, Sendable {
    /// The file had been counted before (same digest): nothing was added.
    public var alreadyProcessed: Bool
    /// Signals added to the buckets, each counted with its `count`.
    public var accepted: Int
    /// Signals not added because their (source, id) was seen before.
    public var duplicates: Int

    public init(alreadyProcessed: Bool = false, accepted: Int = 0, duplicates: Int = 0) {
        self.alreadyProcessed = alreadyProcessed
        self.accepted = accepted
        self.duplicates = duplicates
    }
}
