import Synchronization
import VertrouwdSpool

/// Where a report's signal goes. The daemon's spool in production
/// (`SpoolSink`, exactly as `vertrouwd submit` drops files); a list in
/// memory in unit tests (`RecordingSink`).
public protocol SignalSink: Sendable {
    /// Makes `bytes` (one or more JSON lines) durable, or throws.
    func drop(_ bytes: [UInt8]) throws
}

/// Drops each signal as one spool file: tmp/, fsync, rename into new/.
public struct SpoolSink: SignalSink {
    public let spool: SpoolDirectory

    public init(path: String) {
        spool = SpoolDirectory(root: path)
    }

    public func drop(_ bytes: [UInt8]) throws {
        _ = try spool.drop(bytes)
    }
}

/// Keeps dropped signals in memory (the in-memory twin for tests), or
/// fails every drop when `failing` is set.
public final class RecordingSink: SignalSink {
    private let state = Mutex<[[UInt8]]>([])
    private let failing: Bool

    public struct Failure: Error {}

    public init(failing: Bool = false) {
        self.failing = failing
    }

    public func drop(_ bytes: [UInt8]) throws {
        if failing { throw Failure() }
        state.withLock { $0.append(bytes) }
    }

    /// Every drop so far, as text.
    public var drops: [String] {
        state.withLock { $0.map { String(decoding: $0, as: UTF8.self) } }
    }
}
