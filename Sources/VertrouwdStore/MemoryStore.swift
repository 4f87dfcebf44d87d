// MemoryStore — the in-memory twin of SignalStore (STYLE.md 6), for unit
// tests of the services that use a `StateStore`.
//
// It keeps what SQLite keeps, in dictionaries behind one lock, and answers
// every call as SignalStore does: the same contract tests run against both
// (Tests/VertrouwdStoreTests/StateStoreContractTests.swift). Each call holds
// the lock from start to end, so each is atomic like a transaction. Nothing
// is written anywhere; a dropped MemoryStore is gone.
import Crypto
import Foundation
import Synchronization
import VertrouwdCore

/// A `StateStore` in memory.
public final class MemoryStore: StateStore {
    struct BucketKey: Hashable {
        var hour: Int64
        var category: String
        var site: String
        var cohort: String
        var channel: String
        var severity: String

        /// SQLite's key order: hour, then the texts in byte order.
        func precedes(_ other: Self) -> Bool {
            MemoryStore.keyOrder(hour, other.hour, [(category, other.category), (site, other.site), (cohort, other.cohort),
                                                    (channel, other.channel), (severity, other.severity)]) ?? false
        }
    }

    struct PupilKey: Hashable {
        var hour: Int64
        var category: String
        var site: String
        var cohort: String
        var channel: String
        var pupil: PupilID

        /// SQLite's key order: hour, the texts in byte order, then the
        /// pupil as a signed integer.
        func precedes(_ other: Self) -> Bool {
            MemoryStore.keyOrder(hour, other.hour, [(category, other.category), (site, other.site), (cohort, other.cohort),
                                                    (channel, other.channel)])
                ?? (Int64(bitPattern: pupil) < Int64(bitPattern: other.pupil))
        }
    }

    struct CondensedKey: Hashable {
        var week: Int64
        var category: String
        var site: String
        var cohort: String
        var channel: String
    }

    struct SeenKey: Hashable {
        var hour: Int64
        var key: DedupKey
    }

    struct HealthRow: Hashable {
        var day: String
        var source: String
        var reason: String
    }

    struct OutboxKey: Hashable {
        var id: String
        var recipient: String
        var route: OutboxEntry.Route
    }

    struct Stored {
        var entry: OutboxEntry
        var finishedAt: Int64?
    }

    struct Summary {
        var windowStart: Int64
        var json: String
    }

    struct State {
        var buckets: [BucketKey: Int] = [:]
        /// Pupil row → its week.
        var pupils: [PupilKey: Int64] = [:]
        /// Condensed group → (first hour, pupils).
        var condensed: [CondensedKey: (hour: Int64, pupils: Int)] = [:]
        var chain: PupilChain
        var seen: Set<SeenKey> = []
        var processed: [[UInt8]: Int64] = [:]
        var health: [HealthRow: Int] = [:]
        /// Entry → its definition (nil: recorded without one).
        var alertLog: [AlertLogKey: String?] = [:]
        var outbox: [OutboxKey: Stored] = [:]
        var summaries: [String: Summary] = [:]
    }

    private let state: Mutex<State>
    private let key: [UInt8]
    private let created: Int64

    /// An empty store created at `now` (UTC epoch seconds), with a random
    /// de-duplication key.
    public init(now: Int64) {
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        created = now
        state = Mutex(State(chain: .random(week: (now - 345_600) / 604_800 - 52)))
    }

    // MARK: Ingest

    public func batchBuilder(zone: TimeZone) -> PreparedBatch.Builder {
        PreparedBatch.Builder(dedup: DedupHashing(installKey: Data(key), sipFromHour: .min),
                              chain: state.withLock { $0.chain }, zone: zone)
    }

    public func commitCounting(_ batch: PreparedBatch, rejectedFiles: [String], now: Int64, day: String) throws(StoreError) -> CommittedBatch {
        state.withLock { s in
            let files = batch.files
            var outcomes = [IngestOutcome](repeating: IngestOutcome(), count: files.count)
            var digests = Set<[UInt8]>()
            var counted = [Bool](repeating: false, count: files.count)
            for (i, file) in files.enumerated() {
                if !digests.insert(file.digest).inserted || s.processed[file.digest] != nil {
                    outcomes[i].alreadyProcessed = true
                } else {
                    counted[i] = true
                }
            }
            var bucketCounts = [Int](repeating: 0, count: batch.buckets.count)
            var pupils = PupilRows(batch)
            var accepted = [Int](repeating: 0, count: batch.sources.count)
            var duplicates = [Int](repeating: 0, count: batch.sources.count)
            for entry in batch.entries where counted[Int(entry.file)] {
                guard s.seen.insert(SeenKey(hour: batch.hour(of: entry), key: entry.key)).inserted else {
                    outcomes[Int(entry.file)].duplicates += 1
                    duplicates[Int(entry.source)] += 1
                    continue
                }
                let n = Int(entry.count)
                bucketCounts[Int(entry.bucket)] += n
                pupils.add(entry, of: batch)
                outcomes[Int(entry.file)].accepted += n
                accepted[Int(entry.source)] += n
            }
            let text = { (d: PreparedBatch.Dimension, n: UInt32) in batch.values[d.rawValue][Int(n)] }
            for (bucket, n) in zip(batch.buckets, bucketCounts) where n > 0 {
                let k = BucketKey(hour: bucket.hour, category: text(.category, bucket.category), site: text(.site, bucket.site),
                                  cohort: text(.cohort, bucket.cohort), channel: text(.channel, bucket.channel),
                                  severity: text(.severity, bucket.severity))
                s.buckets[k, default: 0] += n
            }
            for (source, n) in zip(batch.sources, accepted) where n > 0 {
                s.health[HealthRow(day: day, source: source, reason: "accepted"), default: 0] += n
            }
            for (source, n) in zip(batch.sources, duplicates) where n > 0 {
                s.health[HealthRow(day: day, source: source, reason: "duplicate"), default: 0] += n
            }
            for (i, file) in files.enumerated() where counted[i] {
                for reason in file.rejections { s.health[HealthRow(day: day, source: "", reason: reason.rawValue), default: 0] += 1 }
                s.processed[file.digest] = now
            }
            for reason in rejectedFiles { s.health[HealthRow(day: day, source: "", reason: "file_" + reason), default: 0] += 1 }
            var newPupils: [PupilKey] = []
            for row in pupils.rows {
                let profile = batch.texts(ofProfile: row.profile)
                let k = PupilKey(hour: row.hour, category: profile.category, site: profile.site,
                                 cohort: profile.cohort, channel: profile.channel, pupil: row.pupil)
                guard s.pupils[k] == nil else { continue }
                s.pupils[k] = row.week
                newPupils.append(k)
            }
            return CommittedBatch(outcomes: outcomes, addedPupils: Self.grouped(newPupils))
        }
    }

    // MARK: Buckets

    public func forEachBucket(hours: Range<Int64>, _ body: (StoredBucket) -> Void) throws(StoreError) {
        // A snapshot, so that `body` runs without the lock (as SQLite's
        // reader runs beside the writer).
        let rows = state.withLock { s in s.buckets.filter { hours.contains($0.key.hour) } }
        for (k, n) in rows.sorted(by: { $0.key.precedes($1.key) }) {
            body(StoredBucket(hour: k.hour, category: k.category, site: k.site, cohort: k.cohort,
                              channel: k.channel, severity: k.severity, count: n))
        }
    }

    /// SQLite's order of two keys that start with an hour and go on with
    /// texts (byte order); nil when all of that is equal.
    static func keyOrder(_ hour: Int64, _ otherHour: Int64, _ texts: [(String, String)]) -> Bool? {
        if hour != otherHour { return hour < otherHour }
        for (a, b) in texts where a != b { return a.utf8.lexicographicallyPrecedes(b.utf8) }
        return nil
    }

    /// Pupil rows in key order, grouped into buckets.
    static func grouped(_ keys: [PupilKey]) -> [BucketCount] {
        var result: [BucketCount] = []
        var grouper = PupilBucketGrouper { result.append($0) }
        for k in keys.sorted(by: { $0.precedes($1) }) {
            grouper.add(hour: k.hour, category: k.category, site: k.site, cohort: k.cohort, channel: k.channel, pupil: k.pupil)
        }
        grouper.flush()
        return result
    }

    public func forEachPupilBucket(hours: Range<Int64>, _ body: (BucketCount) -> Void) throws(StoreError) {
        let (rows, condensed) = state.withLock { s in
            (s.pupils.keys.filter { hours.contains($0.hour) }, s.condensed.filter { hours.contains($0.value.hour) })
        }
        Self.grouped(rows).forEach(body)
        let ordered = condensed.sorted { a, b in
            Self.keyOrder(a.value.hour, b.value.hour, [(a.key.category, b.key.category), (a.key.site, b.key.site),
                                                       (a.key.cohort, b.key.cohort), (a.key.channel, b.key.channel)]) ?? false
        }
        for (k, v) in ordered {
            body(PupilBucketGrouper.condensed(week: k.week, hour: v.hour, category: k.category, site: k.site,
                                              cohort: k.cohort, channel: k.channel, pupils: v.pupils))
        }
    }

    public func shred(beforeWeek ordinal: Int64, firstHour: Int64) throws(StoreError) -> Int {
        state.withLock { s in
            var distinct: [CondensedKey: (hour: Int64, pupils: Set<PupilID>)] = [:]
            var removed = 0
            for (k, week) in s.pupils where k.hour < firstHour {
                let c = CondensedKey(week: week, category: k.category, site: k.site, cohort: k.cohort, channel: k.channel)
                var entry = distinct[c] ?? (hour: k.hour, pupils: [])
                entry.hour = min(entry.hour, k.hour)
                entry.pupils.insert(k.pupil)
                distinct[c] = entry
                s.pupils[k] = nil
                removed += 1
            }
            for (c, entry) in distinct {
                let old = s.condensed[c]
                s.condensed[c] = (hour: old?.hour ?? entry.hour, pupils: (old?.pupils ?? 0) + entry.pupils.count)
            }
            s.chain = s.chain.advanced(to: ordinal)
            return removed
        }
    }

    public func oldestKeyedWeek() -> Int64 {
        state.withLock { $0.chain.week }
    }

    public func totalSignals() throws(StoreError) -> Int64 {
        state.withLock { Int64($0.buckets.values.reduce(0, +)) }
    }

    // MARK: Alert log

    public func record(_ decisions: [(keys: [AlertLogKey], messages: [OutboxEntry])], definitions: [String: String],
                       now: Int64) throws(StoreError) -> [AlertLogKey] {
        state.withLock { s in
            var added: [AlertLogKey] = []
            for (keys, messages) in decisions {
                guard let own = keys.last else { continue }
                var ownIsNew = false
                for key in keys {
                    let inserted = s.alertLog.index(forKey: key) == nil
                    if inserted { s.alertLog[key] = .some(definitions[key.rule]) }
                    if key == own { ownIsNew = inserted }
                }
                guard ownIsNew else { continue }
                added.append(own)
                for m in messages { Self.insert(m, into: &s) }
            }
            return added
        }
    }

    public func alertLog(since: Int64) throws(StoreError) -> Set<AlertLogKey> {
        state.withLock { Set($0.alertLog.keys.filter { $0.windowStart >= since }) }
    }

    public func alertLedger(since: Int64) throws(StoreError) -> [AlertLedgerEntry] {
        state.withLock { s in
            s.alertLog.filter { $0.key.windowStart >= since }
                .map { AlertLedgerEntry(key: $0.key, definition: $0.value) }
                .sorted { a, b in
                    // SQLite's order: text by bytes.
                    if a.key.rule != b.key.rule { return a.key.rule.utf8.lexicographicallyPrecedes(b.key.rule.utf8) }
                    if a.key.windowStart != b.key.windowStart { return a.key.windowStart < b.key.windowStart }
                    if a.key.group != b.key.group { return a.key.group.utf8.lexicographicallyPrecedes(b.key.group.utf8) }
                    return a.key.band < b.key.band
                }
        }
    }

    // MARK: Outbox

    public func enqueue(_ messages: [OutboxEntry]) throws(StoreError) {
        state.withLock { s in for m in messages { Self.insert(m, into: &s) } }
    }

    /// As SignalStore's INSERT OR IGNORE: a new entry starts pending with
    /// no attempts, whatever the value passed in says.
    private static func insert(_ m: OutboxEntry, into s: inout State) {
        let k = OutboxKey(id: m.id, recipient: m.recipient, route: m.route)
        guard s.outbox[k] == nil else { return }
        var entry = m
        entry.state = .pending
        entry.attempts = 0
        entry.lastError = nil
        s.outbox[k] = Stored(entry: entry)
    }

    public func dueMessages(route: OutboxEntry.Route, now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] {
        let due = state.withLock { s in
            s.outbox.values.map(\.entry).filter { $0.state == .pending && $0.route == route && $0.nextAttemptAt <= now }
        }
        return Array(due.sorted {
            ($0.nextAttemptAt, $0.createdAt, $0.id, $0.recipient) < ($1.nextAttemptAt, $1.createdAt, $1.id, $1.recipient)
        }.prefix(max(0, limit)))
    }

    public func nextDueTime(route: OutboxEntry.Route) throws(StoreError) -> Int64? {
        state.withLock { s in
            s.outbox.values.lazy.map(\.entry).filter { $0.state == .pending && $0.route == route }.map(\.nextAttemptAt).min()
        }
    }

    /// Each route's (finished at, delivered, last error) of finished
    /// entries, for `StateStore.givenUpSinceLastDelivery` (s6-health).
    func finishedOutbox() -> [(route: OutboxEntry.Route, finishedAt: Int64, delivered: Bool, reason: String)] {
        state.withLock { s in
            s.outbox.values.compactMap { m in
                m.finishedAt.map { (m.entry.route, $0, m.entry.state == .delivered, m.entry.lastError ?? "") }
            }
        }
    }

    public func hold(id: String, recipient: String, route: OutboxEntry.Route, until: Int64) throws(StoreError) {
        state.withLock { s in
            let k = OutboxKey(id: id, recipient: recipient, route: route)
            guard var stored = s.outbox[k], stored.entry.state == .pending else { return }
            stored.entry.nextAttemptAt = until
            s.outbox[k] = stored
        }
    }

    public func settle(id: String, recipient: String, route: OutboxEntry.Route, outcome: DeliveryOutcome, now: Int64) throws(StoreError) {
        state.withLock { s in
            let k = OutboxKey(id: id, recipient: recipient, route: route)
            guard var stored = s.outbox[k] else { return }
            stored.entry.attempts += 1
            switch outcome {
            case .delivered:
                stored.entry.state = .delivered
                stored.entry.lastError = nil
                stored.finishedAt = now
            case .retry(let at, let reason):
                stored.entry.state = .pending
                stored.entry.nextAttemptAt = at
                stored.entry.lastError = reason
                stored.finishedAt = nil
            case .failed(let reason):
                stored.entry.state = .failed
                stored.entry.lastError = reason
                stored.finishedAt = now
            }
            s.outbox[k] = stored
        }
    }

    public func outbox() throws(StoreError) -> [OutboxEntry] {
        state.withLock { $0.outbox.values.map(\.entry) }.sorted {
            ($0.createdAt, $0.id, $0.recipient, $0.route.rawValue) < ($1.createdAt, $1.id, $1.recipient, $1.route.rawValue)
        }
    }

    public func failedDeliveries(from: Int64, to: Int64) throws(StoreError) -> Int {
        state.withLock { s in
            s.outbox.values.filter { $0.entry.state == .failed && ($0.finishedAt.map { from <= $0 && $0 < to } ?? false) }.count
        }
    }

    // MARK: Summaries

    public func publish(week: String, windowStart: Int64, json: String, messages: [OutboxEntry], alertKeys: [AlertLogKey],
                        definitions: [String: String],
                        now: Int64) throws(StoreError) -> Bool {
        state.withLock { s in
            guard s.summaries[week] == nil else { return false }
            s.summaries[week] = Summary(windowStart: windowStart, json: json)
            for m in messages { Self.insert(m, into: &s) }
            for key in alertKeys where s.alertLog[key] == nil { s.alertLog[key] = .some(definitions[key.rule]) }
            return true
        }
    }

    public func publishedSummary(week: String) throws(StoreError) -> String? {
        state.withLock { $0.summaries[week]?.json }
    }

    public func lastPublishedWeekStart() throws(StoreError) -> Int64? {
        state.withLock { $0.summaries.values.map(\.windowStart).max() }
    }

    // MARK: Health

    public func health(days: ClosedRange<String>) throws(StoreError) -> [String: Int] {
        state.withLock { s in
            var result: [String: Int] = [:]
            for (row, n) in s.health where days.contains(row.day) { result[row.reason, default: 0] += n }
            return result
        }
    }

    public func health(day: String) throws(StoreError) -> [String: [String: Int]] {
        state.withLock { s in
            var result: [String: [String: Int]] = [:]
            for (row, n) in s.health where row.day == day { result[row.source, default: [:]][row.reason] = n }
            return result
        }
    }

    // MARK: Meta and maintenance

    public func createdAt() throws(StoreError) -> Int64 { created }

    public func purge(now: Int64, retentionSeconds: Int64, dedupHorizonSeconds: Int64, oldestDay: String) throws(StoreError) -> PurgeResult {
        state.withLock { s in
            var result = PurgeResult()
            let oldestHour = SignalStore.hour(of: now - retentionSeconds)
            let oldestSeen = SignalStore.hour(of: now - dedupHorizonSeconds)
            let buckets = s.buckets.count, seen = s.seen.count, processed = s.processed.count, health = s.health.count
            s.buckets = s.buckets.filter { $0.key.hour >= oldestHour }
            let pupils = s.pupils.count + s.condensed.count
            s.pupils = s.pupils.filter { $0.key.hour >= oldestHour }
            s.condensed = s.condensed.filter { $0.value.hour >= oldestHour }
            result.pupils = pupils - s.pupils.count - s.condensed.count
            s.seen = s.seen.filter { $0.hour >= oldestSeen }
            s.processed = s.processed.filter { $0.value >= now - dedupHorizonSeconds }
            s.health = s.health.filter { $0.key.day >= oldestDay }
            result.buckets = buckets - s.buckets.count
            result.seenSignals = seen - s.seen.count
            result.processedFiles = processed - s.processed.count
            result.healthDays = health - s.health.count
            return result
        }
    }

    public func purgeReleases(before: Int64) throws(StoreError) -> ReleasePurgeResult {
        state.withLock { s in
            var result = ReleasePurgeResult()
            let alerts = s.alertLog.count, summaries = s.summaries.count, messages = s.outbox.count
            s.alertLog = s.alertLog.filter { $0.key.windowStart >= before }
            let latest = s.summaries.values.map(\.windowStart).max()
            s.summaries = s.summaries.filter { $0.value.windowStart >= before || $0.value.windowStart == latest }
            s.outbox = s.outbox.filter { $0.value.entry.state == .pending || $0.value.entry.createdAt >= before }
            result.alerts = alerts - s.alertLog.count
            result.summaries = summaries - s.summaries.count
            result.messages = messages - s.outbox.count
            return result
        }
    }
}
