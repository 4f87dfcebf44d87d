import VertrouwdCore

/// One spool file's worth of work for the store: its digest, the signals
/// that passed validation (packed: `PackedSignal`), and the reasons its
/// other lines were rejected.
public struct IngestFile: Sendable {
    /// SHA-256 of the file's bytes.
    public var digest: [UInt8]
    /// The accepted signals; their values are numbers in `vocabulary`,
    /// their ids and subjects bytes in `text`.
    public var packed: [PackedSignal]
    public var text: [UInt8]
    public var vocabulary: SignalVocabulary
    /// One entry per rejected line (for the health counters).
    public var rejections: [RejectReason]

    /// A parsed spool file, its signals as they are.
    public init(digest: [UInt8], file: SignalFile) {
        precondition(digest.count == 32, "a file digest is a SHA-256")
        self.digest = digest
        packed = file.packed
        text = file.text
        vocabulary = file.vocabulary
        rejections = file.rejected.map(\.rejection.reason)
    }

    /// Signals given one by one, packed in a vocabulary of their own.
    public init(digest: [UInt8], signals: [Signal], rejections: [RejectReason]) {
        precondition(digest.count == 32, "a file digest is a SHA-256")
        self.digest = digest
        (vocabulary, packed, text) = SignalVocabulary.pack(signals)
        self.rejections = rejections
    }

    /// The accepted signals.
    public var signals: [Signal] { packed.map { vocabulary.signal($0, text: text) } }

    /// The file without its signals (what a prepared batch keeps of it).
    func withoutSignals() -> IngestFile {
        var file = self
        file.packed = []
        file.text = []
        return file
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
