import Foundation
import GRDB
import VertrouwdCore

/// A message waiting in (or done with) the outbox, for one recipient and
/// one route.
public struct OutboxEntry: Hashable, Sendable {
    public enum Route: String, Hashable, Sendable, CaseIterable { case email, socket }
    public enum State: String, Hashable, Sendable { case pending, delivered, failed }

    public var id: String
    public var recipient: String
    public var route: Route
    public var kind: String
    public var createdAt: Int64
    public var subject: String
    public var text: String
    public var html: String
    public var json: String
    public var state: State = .pending
    public var attempts = 0
    public var nextAttemptAt: Int64
    public var lastError: String?

    /// An entry keeps only the parts its route sends: a socket entry keeps
    /// its subject and JSON (the socket sends the JSON line alone, and the
    /// text is inside it), never the text and HTML an e-mail needs, which
    /// would be stored, and written again, for nothing.
    public init(id: String, recipient: String, route: Route, kind: String, createdAt: Int64,
                subject: String, text: String, html: String, json: String) {
        self.id = id
        self.recipient = recipient
        self.route = route
        self.kind = kind
        self.createdAt = createdAt
        self.subject = subject
        self.text = route == .socket ? "" : text
        self.html = route == .socket ? "" : html
        self.json = json
        self.nextAttemptAt = createdAt
    }

    /// Decodes a stored row strictly: a route or state this version does
    /// not know is an error, never a guess (the schema's CHECKs keep them
    /// out, so one means the file was changed behind the daemon's back).
    init(row: Row) throws(StoreError) {
        guard let route = Route(rawValue: row["route"]) else {
            throw StoreError(.corrupt, "an outbox entry has an unknown route")
        }
        guard let state = State(rawValue: row["state"]) else {
            throw StoreError(.corrupt, "an outbox entry has an unknown state")
        }
        id = row["id"]
        recipient = row["recipient"]
        self.route = route
        kind = row["kind"]
        createdAt = row["created_at"]
        subject = row["subject"]
        text = row["text"]
        html = row["html"]
        json = row["json"]
        self.state = state
        attempts = row["attempts"]
        nextAttemptAt = row["next_attempt_at"]
        lastError = row["last_error"]
    }
}

/// An alert that was decided: its identity in the alert log.
public struct AlertLogKey: Hashable, Sendable {
    public var rule: String
    public var windowStart: Int64
    /// The group in its one text form, `GroupKey.encoded`:
    /// "channel=instagram;site=hoofdgebouw".
    public var group: String
    public var band: Int

    public init(rule: String, windowStart: Int64, group: GroupKey, band: Int) {
        self.init(rule: rule, windowStart: windowStart, groupKey: group.encoded, band: band)
    }

    init(rule: String, windowStart: Int64, groupKey: String, band: Int) {
        self.rule = rule
        self.windowStart = windowStart
        self.group = groupKey
        self.band = band
    }

    /// The group read back; an error when the stored text is not a form
    /// `GroupKey.encoded` writes.
    public func groupKey() throws(GroupKeyError) -> GroupKey {
        try GroupKey(decoding: group)
    }
}

/// An alert-log entry with the definition of the rule that decided it
/// (`RuleDefinition.encode`), as the ledger keeps it; nil for an entry
/// logged before store schema v4, or recorded without one.
public struct AlertLedgerEntry: Hashable, Sendable {
    public var key: AlertLogKey
    public var definition: String?

    public init(key: AlertLogKey, definition: String?) {
        self.key = key
        self.definition = definition
    }
}

extension SignalStore {
    /// Records decided alerts and the messages they cause in ONE transaction
    /// (DESIGN §7): after a crash either both are there or neither.
    /// A decision may log several keys (every band it crossed); its
    /// messages go in only when its own key — the last — is new, so
    /// deciding the same alert twice sends it once.
    ///
    /// Each new entry keeps `definitions[rule]`, the definition of the rule
    /// that decided it (NULL when the map has none); an entry logged
    /// before keeps the one it has.
    ///
    /// - Returns: the decisions' own keys that were new.
    public func record(_ decisions: [(keys: [AlertLogKey], messages: [OutboxEntry])], definitions: [String: String],
                       now: Int64) throws(StoreError) -> [AlertLogKey] {
        do {
            return try queue.write { db in
                var added: [AlertLogKey] = []
                let log = try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO alert_log(rule, window_start, group_key, band, decided_at, definition) VALUES (?, ?, ?, ?, ?, ?)
                    """)
                for (keys, messages) in decisions {
                    guard let own = keys.last else { continue }
                    var ownIsNew = false
                    for key in keys {
                        try log.execute(arguments: [key.rule, key.windowStart, key.group, key.band, now, definitions[key.rule]])
                        if key == own { ownIsNew = db.changesCount == 1 }
                    }
                    guard ownIsNew else { continue }
                    added.append(own)
                    for message in messages { try insert(message, in: db) }
                }
                return added
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Adds messages that no alert decided (a test message, a summary).
    public func enqueue(_ messages: [OutboxEntry]) throws(StoreError) {
        do {
            try queue.write { db in for m in messages { try insert(m, in: db) } }
        } catch {
            throw StoreError(error)
        }
    }

    /// Inserts one entry unless it is there already (same id, recipient,
    /// route): its body first, appended to `outbox_bodies`, then its state
    /// row, which points at the body.
    func insert(_ m: OutboxEntry, in db: Database) throws {
        let arguments: StatementArguments = [m.id, m.recipient, m.route.rawValue]
        if try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM outbox_state WHERE id = ? AND recipient = ? AND route = ?"),
                             arguments: arguments) == true {
            return
        }
        try db.cachedStatement(sql: "INSERT INTO outbox_bodies(subject, text, html, json) VALUES (?, ?, ?, ?)")
            .execute(arguments: [m.subject, m.text, m.html, m.json])
        try db.cachedStatement(sql: """
            INSERT INTO outbox_state(id, recipient, route, kind, created_at, next_attempt_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: arguments + [m.kind, m.createdAt, m.nextAttemptAt, db.lastInsertedRowID])
    }

    /// The alert log of windows starting at or after `since`.
    public func alertLog(since: Int64) throws(StoreError) -> Set<AlertLogKey> {
        do {
            return try queue.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT rule, window_start, group_key, band FROM alert_log WHERE window_start >= ?", arguments: [since])
                return Set(rows.map { AlertLogKey(rule: $0["rule"], windowStart: $0["window_start"], groupKey: $0["group_key"], band: $0["band"]) })
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// The alert log of windows starting at or after `since`, each entry
    /// with its stored definition (see `StateStore.alertLedger`).
    public func alertLedger(since: Int64) throws(StoreError) -> [AlertLedgerEntry] {
        do {
            return try queue.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT rule, window_start, group_key, band, definition FROM alert_log WHERE window_start >= ?
                    ORDER BY rule, window_start, group_key, band
                    """, arguments: [since])
                return rows.map {
                    AlertLedgerEntry(key: AlertLogKey(rule: $0["rule"], windowStart: $0["window_start"], groupKey: $0["group_key"],
                                                      band: $0["band"]),
                                     definition: $0["definition"])
                }
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Pending entries of one route whose next attempt is due, oldest first
    /// (see `StateStore.dueMessages`).
    public func dueMessages(route: OutboxEntry.Route, now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] {
        let rows: [Row]
        do {
            rows = try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM outbox WHERE state = 'pending' AND route = ? AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, created_at, id, recipient LIMIT ?
                    """, arguments: [route.rawValue, now, limit])
            }
        } catch {
            throw StoreError(error)
        }
        return try rows.map { row throws(StoreError) in try OutboxEntry(row: row) }
    }

    /// The earliest next attempt of a pending entry of one route, if any.
    public func nextDueTime(route: OutboxEntry.Route) throws(StoreError) -> Int64? {
        do {
            return try queue.read {
                try Int64.fetchOne($0, sql: "SELECT min(next_attempt_at) FROM outbox_state WHERE state = 'pending' AND route = ?",
                                   arguments: [route.rawValue])
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Holds a pending entry until `until`, no attempt counted (quiet hours).
    public func hold(id: String, recipient: String, route: OutboxEntry.Route, until: Int64) throws(StoreError) {
        do {
            try queue.write { db in
                try db.execute(sql: """
                    UPDATE outbox_state SET next_attempt_at = ?
                    WHERE id = ? AND recipient = ? AND route = ? AND state = 'pending'
                    """, arguments: [until, id, recipient, route.rawValue])
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Records the outcome of one attempt.
    public func settle(id: String, recipient: String, route: OutboxEntry.Route, outcome: DeliveryOutcome, now: Int64) throws(StoreError) {
        let (state, next, error): (OutboxEntry.State, Int64?, String?) = switch outcome {
        case .delivered: (.delivered, nil, nil)
        case .retry(let at, let reason): (.pending, at, reason)
        case .failed(let reason): (.failed, nil, reason)
        }
        do {
            // Without an fsync of its own (synchronous = NORMAL for this
            // commit only): a settlement lost in a power cut sends its
            // message again, with the same id, which receivers de-duplicate
            // (DESIGN §7); the next commit with FULL (ingest, a release)
            // makes it durable with its own. With an fsync per delivered
            // message, a burst of deliveries held the database, and ingest
            // waited, for an fsync after each (`make bench` 8c).
            // The connection goes back to FULL before the queue is let go,
            // and a failure to do so is thrown, never swallowed: ingest's
            // commits rely on it.
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                let settled = Result {
                    try db.inTransaction {
                        try db.execute(sql: """
                            UPDATE outbox_state SET state = ?, attempts = attempts + 1, next_attempt_at = coalesce(?, next_attempt_at),
                                last_error = ?, finished_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END
                            WHERE id = ? AND recipient = ? AND route = ?
                            """, arguments: [state.rawValue, next, error, state.rawValue, now, id, recipient, route.rawValue])
                        return .commit
                    }
                }
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try settled.get()
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// Every outbox entry, by creation, then id, recipient and route.
    public func outbox() throws(StoreError) -> [OutboxEntry] {
        let rows: [Row]
        do {
            rows = try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM outbox ORDER BY created_at, id, recipient, route") }
        } catch {
            throw StoreError(error)
        }
        return try rows.map { row throws(StoreError) in try OutboxEntry(row: row) }
    }
}

/// What one delivery attempt came to.
public enum DeliveryOutcome: Hashable, Sendable {
    case delivered
    /// Try again at `at` (epoch seconds).
    case retry(at: Int64, reason: String)
    /// Given up: a permanent refusal, or older than delivery.max_age.
    case failed(reason: String)
}
