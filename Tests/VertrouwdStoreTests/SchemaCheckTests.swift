import Foundation
import GRDB
import Testing
@testable import VertrouwdStore

/// Issue 12: a database that a newer vertrouwd migrates while this one has
/// it open is noticed at the next check, not written to for ever.
@Suite struct SchemaCheckTests {
    @Test func aStoreMigratedByANewerVersionAfterOpeningFailsItsNextCheckForGood() throws {
        let scratch = Scratch()
        let store = try SignalStore(path: scratch.db, now: 0)
        try store.checkSchema()
        try store.checkSchema()

        // Another process (the newer version) migrates behind our back.
        let other = try DatabaseQueue(path: scratch.db)
        try other.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v999')") }
        try other.close()

        let expected = StoreError(.newerSchema, "\(scratch.db) was written by a newer version of vertrouwd")
        #expect(throws: expected) { try store.checkSchema() }
        #expect(throws: expected) { try store.checkSchema() }
        #expect(expected.isPermanent)
    }
}
