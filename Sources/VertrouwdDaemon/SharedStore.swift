import Synchronization
import VertrouwdStore

/// The one store of a running daemon, opened once and shared by the ingest
/// loop (and its successors after a reload) and the delivery service.
///
/// One opening means one migration: two connections migrating a new
/// database at the same moment would fail one of them.
public final class SharedStore: Sendable {
    let path: String
    private let store = Mutex<SignalStore?>(nil)

    public init(path: String) {
        self.path = path
    }

    /// The store, opened on first use; opening again after a failure.
    public func get() throws -> SignalStore {
        try store.withLock { cached in
            if let cached { return cached }
            let opened = try SignalStore(path: path)
            cached = opened
            return opened
        }
    }
}
