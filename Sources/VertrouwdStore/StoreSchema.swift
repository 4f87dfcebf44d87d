import GRDB

/// The store's schema as versioned migrations. A migration, once released,
/// is never edited: changes come as new migrations.
///
/// The store keeps counts, not signals (data minimisation, DESIGN §4):
///
/// - `buckets`: one row per (UTC hour, category, site, cohort, channel,
///   severity) with the number of signals; `sum(count)` is exactly the number
///   of accepted signals. Unknown dimensions are stored as ''.
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
    static var migrator: DatabaseMigrator {
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
        return migrator
    }
}

import Foundation
