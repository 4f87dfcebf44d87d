import Foundation
import GRDB
import Testing
import VertrouwdCore
@testable import VertrouwdStore

/// Migration v8 (issue 13, `make bench` 8c): a message's delivery state
/// apart from its body. A settlement rewrites a small state row, never the
/// message; a socket entry stores no text or HTML; a store from before v8
/// keeps every entry as it was; `outbox` stays readable as a view.
@Suite struct OutboxBodyTests {
    let scratch = Scratch()

    /// A message body of about 8 KB (a rendered alert e-mail's size), in
    /// text and HTML, so that it needs overflow pages.
    static func bigEntry(_ id: String, route: OutboxEntry.Route, at: Int64) -> OutboxEntry {
        let paragraph = String(repeating: "Ten minste 5 leerlingen, klas-4, deze week. ", count: 45)
        return OutboxEntry(id: id, recipient: "vp", route: route, kind: "alert", createdAt: at, subject: "Melding \(id)",
                           text: paragraph, html: "<p>" + paragraph + "</p>", json: #"{"type":"alert","id":"\#(id)"}"#)
    }

    @Test func aSocketEntryKeepsItsSubjectAndJSONOnly() {
        let socket = Self.bigEntry("a", route: .socket, at: 100)
        #expect(socket.text.isEmpty && socket.html.isEmpty)
        #expect(socket.subject == "Melding a" && socket.json == #"{"type":"alert","id":"a"}"#)
        let email = Self.bigEntry("a", route: .email, at: 100)
        #expect(email.text.count > 1_000 && email.html.count > 1_000)
    }

    /// Bytes the WAL grew by during `body`.
    func walGrowth(_ body: () throws -> Void) throws -> Int {
        let wal = scratch.db + "-wal"
        let before = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        try body()
        return ((try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) - before
    }

    /// Before v8 a settlement of an 8 KB e-mail rewrote the row and its
    /// overflow chain, and secure_delete zeroed the old pages: six or more
    /// pages of WAL per delivered message. Now it writes the state row's
    /// page and the due index's: at most three frames.
    @Test func aSettlementWritesTheStateRowNotTheMessage() throws {
        let store = try SignalStore(path: scratch.db, now: 0)
        try store.enqueue((0..<40).map { Self.bigEntry("m\($0)", route: .email, at: 100 + Int64($0)) })
        let frame = 4_096 + 24
        let growth = try walGrowth {
            try store.settle(id: "m17", recipient: "vp", route: .email, outcome: .delivered, now: 500)
        }
        #expect(growth > 0 && growth <= 3 * frame, "\(growth) bytes of WAL for one settlement")
        let settled = try store.outbox().first { $0.id == "m17" }
        #expect(settled?.state == .delivered && settled?.text == Self.bigEntry("m17", route: .email, at: 0).text)
    }

    /// Entries of every shape in a v7 store: both routes, every state, a
    /// last error, a retry time, two recipients of one id.
    func makeV7Store() throws -> [Row] {
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: scratch.db)
        defer { try? old.close() }
        try StoreSchema.migrator(now: 0).migrate(old, upTo: "v7")
        return try old.write { db in
            let rows: [[DatabaseValueConvertible?]] = [
                ["z", "vp", "email", "alert", 300, "S z", "tekst z", "<p>z</p>", "{}", "pending", 2, 900, "421 busy", nil],
                ["z", "zorg", "email", "alert", 300, "S z", "text z", "<p>z en</p>", "{}", "delivered", 1, 300, nil, 310],
                ["a", "vp", "socket", "summary", 100, "S a", "", "", #"{"type":"summary"}"#, "failed", 5, 100, "refused", 400],
                ["b", "vp", "socket", "health", 200, "S b", "t", "h", #"{"type":"health"}"#, "pending", 0, 200, nil, nil],
            ]
            for r in rows {
                try db.execute(sql: """
                    INSERT INTO outbox(id, recipient, route, kind, created_at, subject, text, html, json, state, attempts,
                                       next_attempt_at, last_error, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments(r))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY created_at, id, recipient, route")
        }
    }

    @Test func aStoreFromBeforeV8KeepsEveryEntryAsItWas() throws {
        let before = try makeV7Store()
        let store = try SignalStore(path: scratch.db, now: 1_000)
        try store.checkSchema()
        let after = try store.queue.read { try Row.fetchAll($0, sql: "SELECT * FROM outbox ORDER BY created_at, id, recipient, route") }
        #expect(after == before, "the view reads every column as the table did")
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'outbox' AND type = 'view'") } == 1)
        // Each entry its own body, numbered in the outbox's order.
        #expect(try store.queue.read { try Int.fetchAll($0, sql: "SELECT body FROM outbox_state ORDER BY created_at, id, recipient, route") }
                == [1, 2, 3, 4])
        // What the daemon reads: the pending one due on each route, the
        // health counts, the retry time.
        #expect(try store.dueMessages(route: .email, now: 1_000, limit: 10).map(\.recipient) == ["vp"])
        #expect(try store.dueMessages(route: .email, now: 1_000, limit: 10).first?.html == "<p>z</p>")
        #expect(try store.dueMessages(route: .socket, now: 1_000, limit: 10).map(\.id) == ["b"])
        let pending = try store.pendingOutbox()
        #expect(pending.count == 2 && pending.oldest == 200)
        #expect(try store.givenUpSinceLastDelivery()[.socket]?.reason == "refused")
        // After v8 a message goes in once, a second time changes nothing,
        // and it is settled as before.
        try store.enqueue([Self.bigEntry("c", route: .email, at: 400), Self.bigEntry("c", route: .email, at: 999)])
        try store.enqueue([Self.bigEntry("z", route: .email, at: 999)])
        #expect(try store.outbox().map(\.id) == ["a", "b", "z", "z", "c"])
        #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox_bodies") } == 5)
        try store.settle(id: "c", recipient: "vp", route: .email, outcome: .retry(at: 2_000, reason: "down"), now: 1_000)
        let c = try store.outbox().first { $0.id == "c" }
        #expect(c?.state == .pending && c?.attempts == 1 && c?.nextAttemptAt == 2_000 && c?.lastError == "down")
        #expect(c?.text == Self.bigEntry("c", route: .email, at: 0).text)
    }
}
