import Foundation
import GRDB

/// The store's schema as versioned migrations. A migration, once released,
/// is never edited: changes come as new migrations.
///
/// The store keeps counts, not signals (data minimisation, DESIGN §4):
///
/// - `buckets`: one row per (UTC hour, category, site, cohort, channel,
///   severity) with the number of signals; `sum(count)` is exactly the number
///   of accepted signals. Unknown dimensions are stored as ''. Since v6 a
///   view over `bucket_counts` (hour, profile number, severity, count) and
///   `profiles` (the four texts).
/// - `seen_signals`: a keyed hash of (source, id) per accepted signal, until
///   the de-duplication horizon. Keyed by (hour, key) so inserts land at the
///   recent end of the B-tree instead of at random places.
/// - `processed_files`: the SHA-256 of every counted file, so a file seen
///   again (a restart between commit and unlink, a copy under another name)
///   is recognised at once.
/// - `health`: per local day, source and reason, how many lines were
///   accepted, duplicates or rejected, for the summary's health section.
/// - `meta`: the per-install de-duplication key.
enum StoreSchema {
    /// - Parameter now: UTC epoch seconds, where a new key chain starts.
    static func migrator(now: Int64) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value BLOB NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE buckets (
                    hour INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    site TEXT NOT NULL,
                    cohort TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    count INTEGER NOT NULL CHECK (count > 0),
                    PRIMARY KEY (hour, category, site, cohort, channel, severity)
                ) WITHOUT ROWID;

                CREATE TABLE seen_signals (
                    hour INTEGER NOT NULL,
                    key BLOB NOT NULL,
                    PRIMARY KEY (hour, key)
                ) WITHOUT ROWID;

                CREATE TABLE processed_files (
                    digest BLOB PRIMARY KEY NOT NULL,
                    processed_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX processed_files_by_time ON processed_files(processed_at);

                CREATE TABLE health (
                    day TEXT NOT NULL,
                    source TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (day, source, reason)
                ) WITHOUT ROWID;
                """)
            var generator = SystemRandomNumberGenerator()
            let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('dedup_key', ?)", arguments: [Data(key)])
        }
        // v2: what was decided and what must be delivered (DESIGN §5, §7).
        // - alert_log: every (rule, window, group, band) alerted, so that no
        //   alert is decided twice across restarts and reloads.
        // - outbox: one row per message × recipient × route, written in the
        //   transaction that decided the message; the id stays the same on
        //   every retry so receivers can de-duplicate.
        // - summaries: published weekly summaries, frozen (P7): inserted
        //   once, never updated.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE alert_log (
                    rule TEXT NOT NULL,
                    window_start INTEGER NOT NULL,
                    group_key TEXT NOT NULL,
                    band INTEGER NOT NULL,
                    decided_at INTEGER NOT NULL,
                    PRIMARY KEY (rule, window_start, group_key, band)
                ) WITHOUT ROWID;

                CREATE TABLE outbox (
                    id TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    route TEXT NOT NULL CHECK (route IN ('email', 'socket')),
                    kind TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    subject TEXT NOT NULL,
                    text TEXT NOT NULL,
                    html TEXT NOT NULL,
                    json TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    last_error TEXT,
                    finished_at INTEGER,
                    PRIMARY KEY (id, recipient, route)
                ) WITHOUT ROWID;
                CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

                CREATE TABLE summaries (
                    week TEXT PRIMARY KEY NOT NULL,
                    window_start INTEGER NOT NULL,
                    published_at INTEGER NOT NULL,
                    json TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        // v3: pupils (issue 13, DESIGN §6 P10). k counts distinct pupils.
        // - pupils: one row per (UTC hour, category, site, cohort, channel)
        //   and pupil id (64 bits of the subject re-keyed under its week's
        //   key, stored as a signed integer), with the week's ordinal.
        // - pupil_weeks: a shredded week's pupils, condensed to a number
        //   per group (`hour` is the first hour seen, inside the week).
        // - meta 'pupil_chain' / 'pupil_chain_week': the key chain's secret
        //   and the week it belongs to (PupilKeys.swift).
        // Counts from before v3 have no pupils: each bucket becomes one
        // pupil, the same one everywhere (id 1), so old counts are a lower
        // bound of one pupil per window, never more.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE pupils (
                    hour INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    site TEXT NOT NULL,
                    cohort TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    pupil INTEGER NOT NULL,
                    week INTEGER NOT NULL,
                    PRIMARY KEY (hour, category, site, cohort, channel, pupil)
                ) WITHOUT ROWID;

                CREATE TABLE pupil_weeks (
                    week INTEGER NOT NULL,
                    hour INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    site TEXT NOT NULL,
                    cohort TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    pupils INTEGER NOT NULL CHECK (pupils > 0),
                    PRIMARY KEY (week, category, site, cohort, channel)
                ) WITHOUT ROWID;
                CREATE INDEX pupil_weeks_by_hour ON pupil_weeks(hour);

                INSERT INTO pupils(hour, category, site, cohort, channel, pupil, week)
                    SELECT hour, category, site, cohort, channel, 1, (hour * 3600 - 345600) / 604800
                    FROM buckets GROUP BY hour, category, site, cohort, channel;
                """)
            // The chain starts a year back, so a late signal of any week
            // max_age allows has a key.
            let chain = PupilChain.random(week: (now - 345_600) / 604_800 - 52)
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('pupil_chain', ?), ('pupil_chain_week', ?)",
                           arguments: [Data(chain.secret), chain.week])
        }
        // v4: the ledger of released facts (issue 13, finding 7). Each
        // alert_log row keeps the definition of the rule that decided it,
        // at that moment (`RuleDefinition`, one canonical line), so that a
        // reload that deletes or changes the rule forgets nothing already
        // said. Rows from before v4 have none (NULL): they are placed with
        // the current rule of their name, as before.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: "ALTER TABLE alert_log ADD COLUMN definition TEXT")
        }
        // v5 (s7-perf): pupil rows keyed by integers (issue 13, `make
        // bench`). `profiles` numbers each (category, site, cohort,
        // channel) once; a pupil row is (hour, profile, pupil) with its
        // week, about 20 bytes instead of ~55, so ingest over weeks writes
        // far fewer pages (PupilProfiles.swift). Existing rows are copied
        // over, the same rows, and the old table dropped (secure_delete
        // overwrites its pages).
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE profiles (
                    id INTEGER PRIMARY KEY,
                    category TEXT NOT NULL,
                    site TEXT NOT NULL,
                    cohort TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    UNIQUE (category, site, cohort, channel)
                );
                INSERT INTO profiles(category, site, cohort, channel)
                    SELECT DISTINCT category, site, cohort, channel FROM pupils ORDER BY category, site, cohort, channel;

                CREATE TABLE pupils_v5 (
                    hour INTEGER NOT NULL,
                    profile INTEGER NOT NULL,
                    pupil INTEGER NOT NULL,
                    week INTEGER NOT NULL,
                    PRIMARY KEY (hour, profile, pupil)
                ) WITHOUT ROWID;
                INSERT INTO pupils_v5(hour, profile, pupil, week)
                    SELECT p.hour, f.id, p.pupil, p.week FROM pupils AS p, profiles AS f
                    WHERE f.category = p.category AND f.site = p.site AND f.cohort = p.cohort AND f.channel = p.channel
                    ORDER BY p.hour, f.id, p.pupil;
                DROP TABLE pupils;
                ALTER TABLE pupils_v5 RENAME TO pupils;
                """)
        }
        // v6 (issue 13, `make bench` 8): signal buckets keyed by the same
        // profile numbers as pupil rows. A bucket row is (hour, profile,
        // severity) with its count instead of five text columns in its
        // key: on a three-week store the table was the largest (34 MiB for
        // 583,000 rows), and an ingest batch spread over weeks rewrote most
        // of its pages, comparing texts at every step of every upsert.
        // `buckets` stays, as a read-only view with the texts, for readers
        // outside the daemon (an admin's sqlite3, the tests, `make bench`).
        migrator.registerMigration("v6") { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO profiles(category, site, cohort, channel)
                    SELECT DISTINCT category, site, cohort, channel FROM buckets ORDER BY category, site, cohort, channel;

                CREATE TABLE bucket_counts (
                    hour INTEGER NOT NULL,
                    profile INTEGER NOT NULL,
                    severity TEXT NOT NULL,
                    count INTEGER NOT NULL CHECK (count > 0),
                    PRIMARY KEY (hour, profile, severity)
                ) WITHOUT ROWID;
                INSERT INTO bucket_counts(hour, profile, severity, count)
                    SELECT b.hour, f.id, b.severity, b.count FROM buckets AS b, profiles AS f
                    WHERE f.category = b.category AND f.site = b.site AND f.cohort = b.cohort AND f.channel = b.channel
                    ORDER BY b.hour, f.id, b.severity;
                DROP TABLE buckets;
                CREATE VIEW buckets AS
                    SELECT b.hour AS hour, f.category AS category, f.site AS site, f.cohort AS cohort,
                           f.channel AS channel, b.severity AS severity, b.count AS count
                    FROM bucket_counts AS b JOIN profiles AS f ON f.id = b.profile;
                """)
        }
        // v7 (issue 13, `make bench` 8c): the outbox's due index covers
        // created_at too. The health check counts pending messages and
        // reads the oldest one's time after every delivery; without it that
        // read went to each pending row of a table whose rows hold whole
        // messages (3 ms with 74 pending beside 3,900 delivered, holding the
        // database while ingest waited), with it the index answers alone.
        migrator.registerMigration("v7") { db in
            try db.execute(sql: """
                DROP INDEX outbox_due;
                CREATE INDEX outbox_due ON outbox(state, next_attempt_at, created_at);
                """)
        }
        // v8 (issue 13, `make bench` 8c): a message's delivery state apart
        // from its body. An outbox row held the whole message (8.4 KB for a
        // socket alert, in overflow pages), so every settlement rewrote the
        // message and its overflow chain, and secure_delete zeroed the old
        // pages: about 25 KB of WAL per alert delivered, which a drain's
        // commit then waited to fsync. Now:
        // - outbox_state: one small row per message × recipient × route,
        //   what a settlement updates, with the due index;
        // - outbox_bodies: the subject and parts, written once, in a rowid
        //   table (appended in order, a small body inside one page);
        // - outbox: a read-only view with the old columns, for readers
        //   outside the daemon (an admin's sqlite3, the tests, the bench).
        // Rows are copied over as they are.
        migrator.registerMigration("v8") { db in
            try db.execute(sql: """
                CREATE TABLE outbox_bodies (
                    id INTEGER PRIMARY KEY,
                    subject TEXT NOT NULL,
                    text TEXT NOT NULL,
                    html TEXT NOT NULL,
                    json TEXT NOT NULL
                );
                CREATE TABLE outbox_state (
                    id TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    route TEXT NOT NULL CHECK (route IN ('email', 'socket')),
                    kind TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    last_error TEXT,
                    finished_at INTEGER,
                    body INTEGER NOT NULL REFERENCES outbox_bodies(id),
                    PRIMARY KEY (id, recipient, route)
                ) WITHOUT ROWID;

                INSERT INTO outbox_bodies(id, subject, text, html, json)
                    SELECT row_number() OVER (ORDER BY created_at, id, recipient, route), subject, text, html, json
                    FROM outbox ORDER BY created_at, id, recipient, route;
                INSERT INTO outbox_state(id, recipient, route, kind, created_at, state, attempts, next_attempt_at,
                                         last_error, finished_at, body)
                    SELECT id, recipient, route, kind, created_at, state, attempts, next_attempt_at, last_error,
                           finished_at, row_number() OVER (ORDER BY created_at, id, recipient, route)
                    FROM outbox;
                DROP TABLE outbox;
                CREATE INDEX outbox_due ON outbox_state(state, next_attempt_at, created_at);
                CREATE VIEW outbox AS
                    SELECT s.id AS id, s.recipient AS recipient, s.route AS route, s.kind AS kind,
                           s.created_at AS created_at, b.subject AS subject, b.text AS text, b.html AS html,
                           b.json AS json, s.state AS state, s.attempts AS attempts,
                           s.next_attempt_at AS next_attempt_at, s.last_error AS last_error,
                           s.finished_at AS finished_at
                    FROM outbox_state AS s JOIN outbox_bodies AS b ON b.id = s.body;
                """)
        }
        // v9: de-duplication keys are SipHash-2-4 tags (`DedupKey`) for
        // signals of hours from `dedup_sip_from_hour` on, HMAC-SHA256 before
        // it. The hour is one past the latest stored signal's: a signal
        // stored before the upgrade is found again under its old key when
        // it is delivered again, and no signal is under both. A store with
        // no signals uses SipHash for every hour.
        migrator.registerMigration("v9") { db in
            let latest = try Int64.fetchOne(db, sql: "SELECT max(hour) FROM seen_signals")
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('dedup_sip_from_hour', ?)",
                           arguments: [latest.map { $0 + 1 } ?? Int64.min])
        }
        return migrator
    }
}

import Foundation
