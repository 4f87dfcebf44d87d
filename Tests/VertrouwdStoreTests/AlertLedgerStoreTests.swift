import Foundation
import GRDB
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// The ledger of released facts (issue 13, finding 7): each alert-log entry
/// keeps the definition of the rule that decided it, at that moment, in
/// both stores; entries from before store schema v4 read as having none.
@Suite struct AlertLedgerStoreTests {
    let scratch = Scratch()

    static let rule = Rule(name: "betaal-en-grooming", kind: .threshold(window: .week),
                           match: [CategoryPattern("sextortion.payment"), CategoryPattern("grooming")],
                           minCount: 10, groupBy: [], severity: .high)

    func key(_ band: Int, rule: String = Self.rule.name) -> AlertLogKey {
        AlertLogKey(rule: rule, windowStart: 1_795_906_800, group: .wholeSchool, band: band)
    }

    @Test(arguments: StoreKind.allCases)
    func anEntryKeepsTheDefinitionOfTheRuleThatDecidedIt(kind: StoreKind) throws {
        let store = try kind.make(in: scratch)
        let definition = RuleDefinition.encode(Self.rule)
        let other = key(5, rule: "zonder-definitie")
        #expect(try store.record([([key(10)], [message("m1")]), ([other], [message("m2")])],
                                 definitions: [Self.rule.name: definition], now: 1_000) == [key(10), other])
        let ledger = try store.alertLedger(since: 0)
        #expect(ledger == [AlertLedgerEntry(key: key(10), definition: definition),
                           AlertLedgerEntry(key: other, definition: nil)])
        #expect(try RuleDefinition.decode(#require(ledger.first?.definition), name: Self.rule.name, severity: .high) == Self.rule)
        #expect(try store.alertLedger(since: 1_795_906_801).isEmpty)
        #expect(try store.alertLog(since: 0) == [key(10), other], "the plain log reads the same entries")
    }

    /// The first decider's definition stands: a later decision of the same
    /// key (a reload that changed the rule, the engine re-deciding) is
    /// ignored, definition and all — the fact already released is the old one.
    @Test(arguments: StoreKind.allCases)
    func aKeyLoggedBeforeKeepsItsDefinition(kind: StoreKind) throws {
        let store = try kind.make(in: scratch)
        let before = RuleDefinition.encode(Self.rule)
        var changed = Self.rule
        changed.match = [CategoryPattern("grooming")]
        _ = try store.record([([key(10)], [message("m1")])], definitions: [Self.rule.name: before], now: 1)
        #expect(try store.record([([key(10)], [message("m2")])], definitions: [Self.rule.name: RuleDefinition.encode(changed)],
                                 now: 2).isEmpty)
        #expect(try store.alertLedger(since: 0).map(\.definition) == [before])
    }

    @Test(arguments: StoreKind.allCases)
    func theLedgerIsOrderedByRuleWindowGroupAndBand(kind: StoreKind) throws {
        let store = try kind.make(in: scratch)
        let keys = [key(20, rule: "b"), key(5, rule: "b"), AlertLogKey(rule: "a", windowStart: 7, group: .wholeSchool, band: 5),
                    AlertLogKey(rule: "b", windowStart: 1_795_906_800, group: GroupKey([.site: .known("dependance")]), band: 5)]
        for (n, k) in keys.enumerated() { _ = try store.record([([k], [message("m\(n)")])], now: 1) }
        #expect(try store.alertLedger(since: 0).map(\.key) == [keys[2], keys[1], keys[0], keys[3]])
    }

    /// A database of schema v3 (before the ledger) with an alert logged:
    /// opening it migrates to v4, and the old entry reads as having no
    /// definition; new entries get theirs.
    @Test func anEntryFromBeforeV4ReadsWithoutADefinition() throws {
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        do {
            let old = try DatabaseQueue(path: scratch.db)
            try StoreSchema.migrator(now: 1_000).migrate(old, upTo: "v3")
            try old.write { db in
                let columns = try db.columns(in: "alert_log").map(\.name)
                #expect(!columns.contains("definition"), "v3 has no definition column")
                try db.execute(sql: "INSERT INTO alert_log(rule, window_start, group_key, band, decided_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [Self.rule.name, 1_795_906_800, "", 10, 1_000])
            }
            try old.close()
        }
        let store = try SignalStore(path: scratch.db, now: 2_000)
        let versions = try store.queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(versions == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"])
        #expect(try store.alertLedger(since: 0) == [AlertLedgerEntry(key: key(10), definition: nil)])
        let definition = RuleDefinition.encode(Self.rule)
        _ = try store.record([([key(20)], [message("m1")])], definitions: [Self.rule.name: definition], now: 2_000)
        #expect(try store.alertLedger(since: 0) == [AlertLedgerEntry(key: key(10), definition: nil),
                                                    AlertLedgerEntry(key: key(20), definition: definition)])
        try store.checkSchema()
    }
}
