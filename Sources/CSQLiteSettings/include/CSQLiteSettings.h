// SQLite process settings that Swift cannot make itself: sqlite3_config()
// is variadic, and Swift does not call C variadic functions.
#pragma once

/// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS). They
/// take a process-wide mutex around every allocation SQLite makes: about
/// a tenth of the ingest transaction's CPU time. Must run before SQLite is
/// first used; returns SQLITE_OK, or SQLITE_MISUSE when it is too late.
int vertrouwd_sqlite_memstatus_off(void);
