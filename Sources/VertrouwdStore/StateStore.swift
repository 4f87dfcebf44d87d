// StateStore — the state the daemon keeps, as one protocol (DESIGN §4).
//
// Two implementations: `SignalStore` (SQLite, what the daemon runs on) and
// `MemoryStore` (its in-memory twin, for unit tests of the services that
// use the store). One suite of contract tests runs against both
// (Tests/VertrouwdStoreTests/StateStoreContractTests.swift).
//
// The protocol sits at batch granularity: one call commits a whole ingest
// batch, one call reads a range of buckets. The per-signal and per-row
// loops stay inside each implementation, where they are concrete code, so
// calling through the protocol costs one dynamic dispatch per batch.
import Foundation
import VertrouwdCore

/// The daemon's state: hourly buckets with the de-duplication that guards
/// them, the alert log, the outbox, frozen weekly summaries, daily health
/// counters, the store's creation time, and the purge of what may no
/// longer be kept.
///
/// Every implementation must:
/// - make each mutating call atomic: after an error (or a crash) either all
///   of its effects are there or none is;
/// - make ingest idempotent: a file whose digest was committed before adds
///   nothing, and a signal whose (source, id) was committed within the
///   de-duplication horizon adds nothing (the first of two in one batch
///   counts);
/// - never revise a published summary: `publish` of a week published
///   before returns false and changes nothing, its messages included;
/// - keep a message's id on every retry;
/// - return rows in the orders documented below, so that both
///   implementations answer the same calls byte for byte;
/// - be safe to call from several threads (one writer at a time is enough).
public protocol StateStore: AnyObject, Sendable {
    // MARK: Ingest

    /// Prepares a batch file by file, so that only one file's signals are
    /// held at a time. Thread-safe: the ingest loop prepares the next batch
    /// while one commits.
    ///
    /// - Parameter zone: the school's zone: a signal's pupil is keyed by
    ///   the local week its hour counts in (`PupilWeek`).
    func batchBuilder(zone: TimeZone) -> PreparedBatch.Builder

    /// Counts a prepared batch in one transaction: either every file of the
    /// batch is counted and recorded, or (on any error) none is.
    ///
    /// - Parameters:
    ///   - rejectedFiles: reason codes of files quarantined whole (symlink,
    ///     oversize …), counted in the health counters as "file_<reason>".
    ///   - now: UTC epoch seconds, recorded with the file digests.
    ///   - day: the local day ("2026-11-29") the health counters go to.
    /// - Returns: each file's outcome and the pupils it added (what the
    ///   rules count).
    func commitCounting(_ batch: PreparedBatch, rejectedFiles: [String], now: Int64, day: String) throws(StoreError) -> CommittedBatch

    // MARK: Buckets

    /// The buckets whose hour lies in `hours` (UTC hours since the epoch),
    /// one at a time, in key order: hour, then category, site, cohort,
    /// channel and severity in byte order.
    func forEachBucket(hours: Range<Int64>, _ body: (StoredBucket) -> Void) throws(StoreError)

    /// The number of accepted signals stored (each with its count).
    func totalSignals() throws(StoreError) -> Int64

    // MARK: Pupils (what rules and summaries count)

    /// The distinct pupils of each hour and group (category, site,
    /// cohort, channel; severity is not kept) whose hour lies in `hours`
    /// (rows written since the day rows of `PreparedBatch` stand for a
    /// whole local day, at its first hour),
    /// as buckets: first the live rows in key order (hour, category, site,
    /// cohort, channel), then the condensed groups of shredded weeks (as
    /// synthetic pupils at the first hour they were seen), in the same
    /// order.
    func forEachPupilBucket(hours: Range<Int64>, _ body: (BucketCount) -> Void) throws(StoreError)

    /// Shreds every week before `ordinal` (`PupilWeek`), whose first hour
    /// is `firstHour`: condenses the pupils of the hours before it to a
    /// number per week and group, deletes their ids and moves the key
    /// chain past it, in one transaction. Returns how many pupil rows went.
    /// A signal of a shredded week counted later adds no pupil.
    func shred(beforeWeek ordinal: Int64, firstHour: Int64) throws(StoreError) -> Int

    /// The oldest week whose pupil key can still be derived.
    func oldestKeyedWeek() -> Int64

    // MARK: Alert log

    /// Records decided alerts and the messages they cause in one
    /// transaction. A decision may log several keys (every band it
    /// crossed); its messages go in only when its own key — the last — is
    /// new, so deciding the same alert twice sends it once.
    ///
    /// Each new entry keeps `definitions[its rule]` — the definition of
    /// the rule that decided it, at that moment (`RuleDefinition.encode`),
    /// the ledger of issue 13's finding 7 — or none when the map has no
    /// such rule. An entry logged before keeps the definition it has.
    ///
    /// - Returns: the decisions' own keys that were new, in order.
    func record(_ decisions: [(keys: [AlertLogKey], messages: [OutboxEntry])], definitions: [String: String],
                now: Int64) throws(StoreError) -> [AlertLogKey]

    /// The alert log of windows starting at or after `since`.
    func alertLog(since: Int64) throws(StoreError) -> Set<AlertLogKey>

    /// The same entries with their stored definitions (nil: logged before
    /// store schema v4, or without one), by rule, window start, group
    /// and band.
    func alertLedger(since: Int64) throws(StoreError) -> [AlertLedgerEntry]

    // MARK: Outbox

    /// Adds messages that no alert decided (a test message, a summary). An
    /// entry already there (same id, recipient and route) is left as it is.
    func enqueue(_ messages: [OutboxEntry]) throws(StoreError)

    /// Pending entries of `route` whose next attempt is due at `now`, by
    /// next attempt, then creation, id and recipient; at most `limit`.
    func dueMessages(route: OutboxEntry.Route, now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry]

    /// The earliest next attempt of a pending entry of `route`, if any.
    func nextDueTime(route: OutboxEntry.Route) throws(StoreError) -> Int64?

    /// Records the outcome of one attempt: one more attempt, and the entry
    /// delivered, failed, or pending until `at` with the reason.
    func settle(id: String, recipient: String, route: OutboxEntry.Route, outcome: DeliveryOutcome, now: Int64) throws(StoreError)

    /// Holds a pending entry until `until` without counting an attempt:
    /// an alert e-mail waiting out the quiet hours (s6-calendar). An
    /// entry that is not pending is left as it is.
    func hold(id: String, recipient: String, route: OutboxEntry.Route, until: Int64) throws(StoreError)

    /// Every outbox entry, by creation, then id, recipient and route.
    func outbox() throws(StoreError) -> [OutboxEntry]

    /// Outbox entries given up (failed) whose last attempt falls in [from, to).
    func failedDeliveries(from: Int64, to: Int64) throws(StoreError) -> Int

    // MARK: Summaries

    /// Publishes a week's summary, frozen (P7), and enqueues its messages
    /// and logs `alertKeys` (the rise alerts decided from it,
    /// `PublishedRise`), each with `definitions[rule]`, in the same
    /// transaction. Returns false when that
    /// week was published before: the stored one stands, and nothing is
    /// enqueued or logged.
    func publish(week: String, windowStart: Int64, json: String, messages: [OutboxEntry], alertKeys: [AlertLogKey],
                 definitions: [String: String],
                 now: Int64) throws(StoreError) -> Bool

    /// The frozen JSON of a published week, byte for byte, or nil.
    func publishedSummary(week: String) throws(StoreError) -> String?

    /// The most recently published week's window start, if any.
    func lastPublishedWeekStart() throws(StoreError) -> Int64?

    // MARK: Health

    /// Health counters of the local days in `days` (inclusive ISO dates):
    /// reason → count, summed over sources and days.
    func health(days: ClosedRange<String>) throws(StoreError) -> [String: Int]

    /// Health counters of one local day: source → reason → count. A
    /// rejected line's source is "" (it is not trusted).
    func health(day: String) throws(StoreError) -> [String: [String: Int]]

    // MARK: Meta and maintenance

    /// When the store was created (UTC epoch seconds): summaries of weeks
    /// before it are not sent.
    func createdAt() throws(StoreError) -> Int64

    /// Removes what may no longer be kept: buckets older than the retention,
    /// signal keys and file digests older than the de-duplication horizon,
    /// health counters of days before `oldestDay`.
    func purge(now: Int64, retentionSeconds: Int64, dedupHorizonSeconds: Int64, oldestDay: String) throws(StoreError) -> PurgeResult

    /// Removes the record of what left before `before` (UTC epoch seconds):
    /// alert log entries of windows that started before it, published
    /// summaries of weeks that started before it (never the latest one:
    /// it says which week is next), and delivered or failed messages made
    /// before it, with their bodies. Pending messages stay, however old.
    /// The caller keeps `before` older than every window the rules, the
    /// trend and the disclosure check still read (`IngestLoop.maintain`).
    func purgeReleases(before: Int64) throws(StoreError) -> ReleasePurgeResult
}

extension StateStore {
    /// A builder keyed by UTC weeks (tests).
    public func batchBuilder() -> PreparedBatch.Builder {
        batchBuilder(zone: TimeZone(identifier: "UTC")!)
    }

    /// The pupil buckets of `hours` (see `forEachPupilBucket`).
    public func pupilBuckets(hours: Range<Int64>) throws(StoreError) -> [BucketCount] {
        var result: [BucketCount] = []
        try forEachPupilBucket(hours: hours) { result.append($0) }
        return result
    }

    /// `commitCounting` of a batch with no file rejected whole.
    public func commitCounting(_ batch: PreparedBatch, now: Int64, day: String) throws(StoreError) -> CommittedBatch {
        try commitCounting(batch, rejectedFiles: [], now: now, day: day)
    }

    /// The buckets whose hour lies in `hours`, in key order (see
    /// `forEachBucket`).
    public func buckets(hours: Range<Int64>) throws(StoreError) -> [StoredBucket] {
        var result: [StoredBucket] = []
        try forEachBucket(hours: hours) { result.append($0) }
        return result
    }

    /// `record(_:definitions:now:)` with no definitions (tests).
    public func record(_ decisions: [(keys: [AlertLogKey], messages: [OutboxEntry])], now: Int64) throws(StoreError) -> [AlertLogKey] {
        try record(decisions, definitions: [:], now: now)
    }

    /// `dueMessages(route:now:limit:)`, at most 100.
    public func dueMessages(route: OutboxEntry.Route, now: Int64) throws(StoreError) -> [OutboxEntry] {
        try dueMessages(route: route, now: now, limit: 100)
    }
}

/// What a commit counted.
public struct CommittedBatch: Sendable {
    /// Per file, in the batch's order.
    public var outcomes: [IngestOutcome]
    /// The pupils the commit added that their hour and group did not have
    /// yet, one bucket per hour and group, in key order: what the rules
    /// count.
    public var addedPupils: [BucketCount]
}

/// What a purge of old releases removed.
public struct ReleasePurgeResult: Hashable, Sendable {
    public var alerts = 0
    public var summaries = 0
    /// Outbox rows (a message to one recipient by one route).
    public var messages = 0

    public init(alerts: Int = 0, summaries: Int = 0, messages: Int = 0) {
        self.alerts = alerts
        self.summaries = summaries
        self.messages = messages
    }
}

/// What a purge removed.
public struct PurgeResult: Hashable, Sendable {
    public var buckets = 0
    /// Pupil rows and condensed pupil groups.
    public var pupils = 0
    public var seenSignals = 0
    public var processedFiles = 0
    public var healthDays = 0

    public init(buckets: Int = 0, pupils: Int = 0, seenSignals: Int = 0, processedFiles: Int = 0, healthDays: Int = 0) {
        self.buckets = buckets
        self.pupils = pupils
        self.seenSignals = seenSignals
        self.processedFiles = processedFiles
        self.healthDays = healthDays
    }
}

extension StateStore {
    /// `publish(week:windowStart:json:messages:alertKeys:definitions:now:)` with no alerts.
    public func publish(week: String, windowStart: Int64, json: String, messages: [OutboxEntry], now: Int64) throws(StoreError) -> Bool {
        try publish(week: week, windowStart: windowStart, json: json, messages: messages, alertKeys: [], definitions: [:], now: now)
    }
}
