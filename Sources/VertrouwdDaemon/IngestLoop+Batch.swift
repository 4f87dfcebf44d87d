import Foundation
import Logging
import VertrouwdCore
import VertrouwdSpool
import VertrouwdStore

extension IngestLoop {
    /// A claimed file and what was decided for it.
    struct Claimed {
        enum Fate {
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

    /// Claims, reads and counts one batch in one transaction, then removes
    /// or quarantines its files.
    func ingest(_ names: [String], from folder: SpoolDirectory.Folder, store: SignalStore) -> BatchResult {
        let now = clock()
        var claimed: [Claimed] = []
        var files: [IngestFile] = []
        var rejectedFiles: [String] = []
        for name in names {
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
                        return .failed("cannot write to the quarantine: \(error)")
                    }
                }
                files.append(IngestFile(digest: digest, signals: parsed.signals, rejections: parsed.rejected.map(\.rejection.reason)))
                claimed.append(Claimed(name: name, id: id, fate: .count(parsed, digestIndex: files.count - 1)))
            }
        }
        guard !claimed.isEmpty else { return .done(0) }

        let outcomes: [IngestOutcome]
        do {
            outcomes = try store.commit(files, rejectedFiles: rejectedFiles, now: now,
                                        day: LocalDay.string(for: now, in: configuration.school.timeZone))
        } catch {
            // Nothing was counted; the claimed files wait in cur/.
            return .failed("cannot write the state database (\(error))")
        }

        for file in claimed {
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
        return .done(claimed.count)
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
