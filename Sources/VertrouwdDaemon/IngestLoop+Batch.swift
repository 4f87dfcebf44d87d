import Foundation
import Logging
import VertrouwdCore
import VertrouwdSpool
import VertrouwdStore

extension IngestLoop {
    /// A claimed file and what was decided for it.
    struct Claimed: Sendable {
        enum Fate: Sendable {
            case count(SignalFile, digestIndex: Int)
            case quarantine(FileRejectReason)
        }
        var name: String
        var id: String
        var fate: Fate
    }

    enum BatchResult {
        /// This many files were claimed and dealt with.
        case done(Int)
        /// Progress stopped (the store or the quarantine cannot be written).
        case failed(String)
    }

    /// A batch claimed, read and parsed, its bad lines set aside and its
    /// signals' keys worked out: all that can be done before the commit.
    struct Gathered: Sendable {
        var claimed: [Claimed] = []
        var batch: PreparedBatch
        var rejectedFiles: [String] = []
        var now: Int64
        /// Set when gathering stopped: the quarantine cannot be written.
        /// What was claimed waits in cur/.
        var problem: String?
        /// Where the next batch starts in the list of names.
        var next: Int
    }

    /// Claims, reads and parses files from `names[start...]` until
    /// `batchFiles` files or about `batchBytes` bytes of content, and
    /// prepares their signals for the store. Runs on the ingest thread or
    /// on the helper that gathers the next batch while one commits.
    func gather(_ names: [String], from start: Int, folder: SpoolDirectory.Folder, store: SignalStore) -> Gathered {
        let now = clock()
        var claimed: [Claimed] = []
        // Each file's signals go into the batch as compact entries at once:
        // a batch in flight does not hold its parsed signals.
        var batch = store.batchBuilder()
        var fileCount = 0
        var rejectedFiles: [String] = []
        var bytesRead = 0
        var index = start
        var problem: String?
        // The byte budget is counted as files are read, rather than with an
        // lstat of each name beforehand: one system call less per file.
        while index < names.count, index - start < limits.batchFiles, bytesRead < limits.batchBytes, problem == nil {
            let name = names[index]
            index += 1
            if folder == .new {
                do {
                    guard try spool.claim(name) else { continue } // another process took it
                } catch {
                    stuck.withLock { _ = $0.insert(name) }
                    logger.warning("cannot claim a spool file: \(error.message)",
                                   metadata: ["event": "claim_failed"])
                    continue
                }
            }
            switch spool.read(claimed: name, maxBytes: configuration.spool.maxFileBytes) {
            case .rejected(let reason):
                // Names are the producer's and may repeat: the time keeps
                // two quarantined entries of the same name apart.
                let id = spoolFileID(for: "\(name)\u{0}\(now)")
                rejectedFiles.append(reason.rawValue)
                claimed.append(Claimed(name: name, id: id, fate: .quarantine(reason)))
            case .content(let bytes, let digest):
                bytesRead += bytes.count
                // The content names the file: the same bytes get the same
                // id, so quarantining again after a crash rewrites, not adds.
                let id = digest.prefix(6).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
                let parsed = SignalFile(bytes: bytes, validator: validator, now: now)
                if !parsed.rejected.isEmpty {
                    // Bad lines go aside before the counts are committed, so
                    // a crash in between cannot lose them.
                    let lines = parsed.rejected.map {
                        QuarantinedLine(number: $0.number, reason: $0.rejection.reason.rawValue,
                                        field: $0.rejection.field, content: $0.content)
                    }
                    do {
                        try spool.quarantineLines(id: id, lines: lines)
                    } catch {
                        problem = "cannot write to the quarantine: \(error)"
                        break
                    }
                }
                batch.add(IngestFile(digest: digest, signals: parsed.signals, rejections: parsed.rejected.map(\.rejection.reason)))
                fileCount += 1
                // The log line needs the rejected lines only.
                var logged = parsed
                logged.signals = []
                claimed.append(Claimed(name: name, id: id, fate: .count(logged, digestIndex: fileCount - 1)))
            }
        }
        return Gathered(claimed: claimed, batch: batch.finish(), rejectedFiles: rejectedFiles, now: now,
                        problem: problem, next: index)
    }

    /// Commits a gathered batch in one transaction, then removes or
    /// quarantines its files.
    func settle(_ gathered: Gathered, store: SignalStore) -> BatchResult {
        if let problem = gathered.problem { return .failed(problem) }
        guard !gathered.claimed.isEmpty else { return .done(0) }
        let now = gathered.now
        let outcomes: [IngestOutcome]
        do {
            let committed = try store.commitCounting(gathered.batch, rejectedFiles: gathered.rejectedFiles, now: now,
                                                     day: LocalDay.string(for: now, in: configuration.school.timeZone))
            outcomes = committed.outcomes
            evaluator.counted(committed.added)
        } catch {
            // Nothing was counted; the claimed files wait in cur/.
            return .failed("cannot write the state database (\(error))")
        }

        for file in gathered.claimed {
            switch file.fate {
            case .quarantine(let reason):
                do {
                    try spool.quarantineWhole(claimed: file.name, id: file.id, reason: reason)
                } catch {
                    // Its rejection is counted; keeping it in cur/ would
                    // count it again on every pass. Delete it instead.
                    logger.error("cannot quarantine a spool file (\(error.message)); deleting it",
                                 metadata: ["event": "quarantine_failed", "file": "\(file.id)"])
                    do {
                        try spool.remove(claimed: file.name)
                    } catch {
                        stuck.withLock { _ = $0.insert(file.name) }
                    }
                }
                logger.warning("file \(file.id) quarantined: \(reason.rawValue)",
                               metadata: ["event": "file_quarantined", "file": "\(file.id)", "reason": "\(reason.rawValue)"])
            case .count(let parsed, let index):
                do {
                    try spool.remove(claimed: file.name)
                } catch {
                    logger.error("cannot remove a counted spool file: \(error.message)", metadata: ["event": "remove_failed", "file": "\(file.id)"])
                }
                log(file.id, parsed, outcomes[index])
            }
        }
        return .done(gathered.claimed.count)
    }

    /// One line per file: what was accepted and why lines were rejected,
    /// every count shown as "<k" or ≥ k (P4).
    func log(_ id: String, _ parsed: SignalFile, _ outcome: IngestOutcome) {
        let policy = configuration.privacy
        if outcome.alreadyProcessed {
            logger.info("file \(id) was counted before; removed", metadata: ["event": "file_repeated", "file": "\(id)"])
            return
        }
        var metadata: Logger.Metadata = [
            "event": "file_ingested", "file": "\(id)",
            "accepted": "\(policy.shown(outcome.accepted))",
        ]
        var text = "file \(id): accepted \(policy.shown(outcome.accepted))"
        if outcome.duplicates > 0 {
            text += ", duplicates \(policy.shown(outcome.duplicates))"
            metadata["duplicates"] = "\(policy.shown(outcome.duplicates))"
        }
        if !parsed.rejected.isEmpty {
            var byReason: [String: Int] = [:]
            for line in parsed.rejected { byReason[line.rejection.reason.rawValue, default: 0] += 1 }
            let reasons = byReason.sorted { $0.key < $1.key }.map { "\($0.key) \(policy.shown($0.value))" }
            text += ", rejected \(policy.shown(parsed.rejected.count)) (\(reasons.joined(separator: ", ")))"
            metadata["rejected"] = "\(policy.shown(parsed.rejected.count))"
            metadata["reasons"] = "\(byReason.keys.sorted().joined(separator: ","))"
            logger.notice("\(text)", metadata: metadata)
        } else {
            logger.info("\(text)", metadata: metadata)
        }
    }

    /// Retention: purge the store, drop old tmp/ and quarantine entries.
    func maintain(_ store: SignalStore, now: Int64) {
        let retention = Int64(configuration.state.retentionWeeks) * 604_800
        let oldestDay = LocalDay.string(for: now - retention, in: configuration.school.timeZone)
        do {
            _ = try store.purge(now: now, retentionSeconds: retention,
                                dedupHorizonSeconds: configuration.ingest.dedupHorizon.seconds, oldestDay: oldestDay)
        } catch {
            logger.warning("purge failed: \(error)", metadata: ["event": "purge_failed"])
        }
        let tmp = spool.cleanTmp(now: now, olderThan: 36 * 3_600)
        let quarantine = spool.cleanQuarantine(now: now, olderThan: Int64(configuration.spool.quarantineDays) * 86_400)
        if tmp + quarantine > 0 {
            let policy = configuration.privacy
            logger.info("removed old spool entries: tmp \(policy.shown(tmp)), quarantine \(policy.shown(quarantine))",
                        metadata: ["event": "spool_cleaned"])
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
