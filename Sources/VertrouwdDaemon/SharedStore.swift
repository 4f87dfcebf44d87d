import Synchronization
import VertrouwdStore

/// The one store of a running daemon, opened once and shared by the ingest
/// loop and the delivery service.
///
/// One opening means one migration: two connections migrating a new
/// database at the same moment would fail one of them. Every later use
/// checks that no newer vertrouwd has migrated the database since
/// (`SignalStore.checkSchema`): the daemon stops then, as at start-up.
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

    /// The store: opened on first use (and again after a failure to open),
    /// its schema checked at every later call.
    ///
    /// - Throws: `StoreError`; of kind `.newerSchema`, permanent, when a
    ///   newer vertrouwd wrote the database.
    public func get() throws(StoreError) -> SignalStore {
        let (store, opened) = try store.withLock { cached throws(StoreError) -> (SignalStore, Bool) in
            if let cached { return (cached, false) }
            let opened = try SignalStore(path: path, now: clock())
            cached = opened
            return (opened, true)
        }
        if !opened { try store.checkSchema() }
        return store
    }
}
