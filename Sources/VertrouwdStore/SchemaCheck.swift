import GRDB

extension SignalStore {
    /// Throws `StoreError` of kind `.newerSchema` when a newer vertrouwd
    /// has migrated the database since it was opened (an upgrade that ran
    /// the new version's command while this daemon still runs): this
    /// version must not write to it any more.
    ///
    /// One read of the migrations table: the daemon calls it before every
    /// pass over the store (`SharedStore.get`), as `init` checks at opening.
    public func checkSchema() throws(StoreError) {
        let superseded: Bool
        do {
            // The migrations' identifiers are what counts; `now` only seeds v3's data.
            superseded = try queue.read { try StoreSchema.migrator(now: 0).hasBeenSuperseded($0) }
        } catch {
            throw StoreError(error)
        }
        if superseded {
            throw StoreError(.newerSchema, "\(path) was written by a newer version of vertrouwd")
        }
    }
}
