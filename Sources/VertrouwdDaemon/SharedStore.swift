import Synchronization
import VertrouwdStore

/// The one store of a running daemon, opened once and shared by the ingest
/// loop (and its successors after a reload) and the delivery service.
///
/// One opening means one migration: two connections migrating a new
/// database at the same moment would fail one of them.
public final class SharedStore: Sendable {
    let path: String
    let clock: @Sendable () -> Int64
    private let store = Mutex<SignalStore?>(nil)

    /// - Parameter clock: UTC epoch seconds; a new store records it as its
    ///   creation time.
    public init(path: String, clock: @escaping @Sendable () -> Int64) {
        self.path = path
        self.clock = clock
    }

    /// The store, opened on first use; opening again after a failure.
    public func get() throws(StoreError) -> SignalStore {
        try store.withLock { cached throws(StoreError) in
            if let cached { return cached }
            let opened = try SignalStore(path: path, now: clock())
            cached = opened
            return opened
        }
    }
}
