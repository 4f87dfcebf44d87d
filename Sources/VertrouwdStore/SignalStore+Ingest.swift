import Crypto
import Foundation
import GRDB
import VertrouwdCore

extension SignalStore {
    /// Counts a batch of files in one transaction: either every file of the
    /// batch is counted and recorded, or (on any error) none is.
    ///
    /// Idempotent: a file whose digest is recorded adds nothing, and a signal
    /// whose (source, id) was seen within the horizon adds nothing, so
    /// committing the same batch twice counts it once.
    ///
    /// - Parameters:
    ///   - now: UTC epoch seconds, recorded with the file digests.
    ///   - day: the local day ("2026-11-29") the health counters go to.
    ///   - rejectedFiles: reason codes of files quarantined whole
    ///     (symlink, oversize …), counted as "file_<reason>".
    public func commit(_ files: [IngestFile], rejectedFiles: [String] = [], now: Int64, day: String) throws(StoreError) -> [IngestOutcome] {
        do {
            return try queue.write { db in
                var outcomes: [IngestOutcome] = []
                outcomes.reserveCapacity(files.count)
                for file in files {
                    outcomes.append(try count(file, in: db, now: now, day: day))
                }
                if !rejectedFiles.isEmpty {
                    let health = try db.cachedStatement(sql: """
                        INSERT INTO health(day, source, reason, count) VALUES (?, '', ?, 1)
                        ON CONFLICT(day, source, reason) DO UPDATE SET count = count + 1
                        """)
                    for reason in rejectedFiles {
                        try health.execute(arguments: [day, "file_" + reason])
                    }
                }
                return outcomes
            }
        } catch {
            throw StoreError(error)
        }
    }

    private func count(_ file: IngestFile, in db: Database, now: Int64, day: String) throws -> IngestOutcome {
        let digest = Data(file.digest)
        let known = try db.cachedStatement(sql: "SELECT 1 FROM processed_files WHERE digest = ?")
        if try Bool.fetchOne(known, arguments: [digest]) != nil {
            return IngestOutcome(alreadyProcessed: true)
        }
        let remember = try db.cachedStatement(sql: "INSERT OR IGNORE INTO seen_signals(hour, key) VALUES (?, ?)")
        let add = try db.cachedStatement(sql: """
            INSERT INTO buckets(hour, category, site, cohort, channel, severity, count)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(hour, category, site, cohort, channel, severity)
            DO UPDATE SET count = count + excluded.count
            """)
        var outcome = IngestOutcome()
        var healthCounts: [HealthKey: Int] = [:]
        for signal in file.signals {
            let hour = Self.hour(of: signal.timestamp)
            try remember.execute(arguments: [hour, dedupKey(for: signal)])
            guard db.changesCount == 1 else {
                outcome.duplicates += 1
                healthCounts[HealthKey(source: signal.source, reason: "duplicate"), default: 0] += 1
                continue
            }
            try add.execute(arguments: [
                hour, signal.category, signal.site ?? "", signal.cohort ?? "", signal.channel ?? "",
                signal.severity.rawValue, signal.count,
            ])
            outcome.accepted += signal.count
            healthCounts[HealthKey(source: signal.source, reason: "accepted"), default: 0] += signal.count
        }
        for reason in file.rejections {
            // A rejected line's source is not trusted, so it is not recorded.
            healthCounts[HealthKey(source: "", reason: reason.rawValue), default: 0] += 1
        }
        let health = try db.cachedStatement(sql: """
            INSERT INTO health(day, source, reason, count) VALUES (?, ?, ?, ?)
            ON CONFLICT(day, source, reason) DO UPDATE SET count = count + excluded.count
            """)
        for (key, n) in healthCounts.sorted(by: { ($0.key.source, $0.key.reason) < ($1.key.source, $1.key.reason) }) {
            try health.execute(arguments: [day, key.source, key.reason, n])
        }
        let record = try db.cachedStatement(sql: "INSERT INTO processed_files(digest, processed_at) VALUES (?, ?)")
        try record.execute(arguments: [digest, now])
        return outcome
    }

    /// Whether a file with this digest has been counted.
    public func hasProcessed(digest: [UInt8]) throws(StoreError) -> Bool {
        do {
            return try queue.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM processed_files WHERE digest = ?", arguments: [Data(digest)]) != nil
            }
        } catch {
            throw StoreError(error)
        }
    }

    /// The keyed hash a signal is remembered by: 128 bits of
    /// HMAC-SHA256(install key, source ‖ 0 ‖ id). The id itself is never
    /// stored; without the key the hash cannot be checked against guesses.
    func dedupKey(for signal: Signal) -> Data {
        var message = Data(signal.source.utf8)
        message.append(0)
        message.append(contentsOf: signal.id.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: dedupKey))
        return Data(mac.prefix(16))
    }

    /// UTC hours since the epoch (floored, also before 1970).
    static func hour(of timestamp: Int64) -> Int64 {
        timestamp >= 0 ? timestamp / 3_600 : -((-timestamp + 3_599) / 3_600)
    }
}

struct HealthKey: Hashable {
    var source: String
    var reason: String
}
