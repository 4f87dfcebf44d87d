import Foundation
import Logging
import Synchronization
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
        /// Progress stopped (the store or the quarantine cannot be written):
        /// the scheduler's `failed` or `failedForGood`.
        case stopped(Scheduler.Event)
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
    /// `batchFiles` files or about `budget` bytes of content, and
    /// prepares their signals for the store. Runs on the ingest thread or
    /// on the helper that gathers the next batch while one commits.
    func gather(_ names: [String], from start: Int, folder: SpoolDirectory.Folder, bytes budget: Int,
                store: some StateStore) -> Gathered {
        let now = clock()
        var claimed: [Claimed] = []
        // Each file's signals go into the batch as compact entries at once:
        // a batch in flight does not hold its parsed signals.
        var batch = store.batchBuilder(zone: configuration.school.timeZone)
        var fileCount = 0
        var rejectedFiles: [String] = []
        var bytesRead = 0
        var index = start
        var problem: String?
        // Every id in a log line or the quarantine is keyed (`SpoolIDKey`):
        // a plain hash of a guessable one-signal file could be matched.
        let ids: SpoolIDKey
        do {
            ids = try spool.idKey()
        } catch {
            return Gathered(batch: batch.finish(), now: now, problem: "cannot read the spool's id key: \(error)", next: start)
        }
        // The byte budget is counted as files are read, rather than with an
        // lstat of each name beforehand: one system call less per file.
        while index < names.count, index - start < limits.batchFiles, bytesRead < budget, problem == nil {
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
                if stuckAside.withLock({ $0.contains(name) }) {
                    stuck.withLock { _ = $0.insert(name) }   // counted when first met
                    continue
                }
                // Names are the producer's and may repeat: the time keeps
                // two quarantined entries of the same name apart.
                let id = ids.fileID(name: "\(name)\u{0}\(now)")
                rejectedFiles.append(reason.rawValue)
                claimed.append(Claimed(name: name, id: id, fate: .quarantine(reason)))
            case .content(let bytes, let digest):
                bytesRead += bytes.count
                // The content names the file: the same bytes get the same
                // id, so quarantining again after a crash rewrites, not adds.
                let id = ids.fileID(contentDigest: digest)
                let parsed = SignalFile(bytes: bytes, validator: validator, now: now)
                if !parsed.rejected.isEmpty {
                    // Bad lines go aside before the counts are committed, so
                    // a crash in between cannot lose them.
                    let lines = parsed.rejected.map {
                        QuarantinedLine(number: $0.number, reason: $0.rejection.reason.rawValue,
                                        field: $0.rejection.field, content: Array(bytes[$0.span]))
                    }
                    do {
                        try spool.quarantineLines(id: id, lines: lines)
                    } catch {
                        problem = "cannot write to the quarantine: \(error)"
                        break
                    }
                }
                batch.add(IngestFile(digest: digest, file: parsed))
                fileCount += 1
                // The log line needs the rejected lines only.
                claimed.append(Claimed(name: name, id: id, fate: .count(parsed.withoutSignals(), digestIndex: fileCount - 1)))
            }
        }
        return Gathered(claimed: claimed, batch: batch.finish(), rejectedFiles: rejectedFiles, now: now,
                        problem: problem, next: index)
    }

    /// Commits a gathered batch in one transaction, then removes or
    /// quarantines its files.
    func settle(_ gathered: Gathered, store: some StateStore) -> BatchResult {
        if let problem = gathered.problem { return .stopped(.failed(reason: problem)) }
        guard !gathered.claimed.isEmpty else { return .done(0) }
        let now = gathered.now
        let outcomes: [IngestOutcome]
        do {
            let committed = try store.commitCounting(gathered.batch, rejectedFiles: gathered.rejectedFiles, now: now,
                                                     day: LocalDay.string(for: now, in: configuration.school.timeZone))
            outcomes = committed.outcomes
            evaluator.counted(committed.addedPupils)
        } catch {
            // Nothing was counted; the claimed files wait in cur/.
            return .stopped(failure("cannot write the state database (\(error))", error))
        }

        // Counted files are removed first, on `removalThreads` threads at
        // once when there are many: on a disk with online discard an unlink
        // waits for the device, and the waits overlap (`make bench`).
        let counted = gathered.claimed.filter { if case .count = $0.fate { true } else { false } }
        let failedRemovals = remove(counted.map(\.name))
        for (i, error) in failedRemovals.sorted(by: { $0.key < $1.key }) {
            logger.error("cannot remove a counted spool file: \(error.message)",
                         metadata: ["event": "remove_failed", "file": "\(counted[i].id)"])
        }

        // A large batch is one log line; its files are logged at debug.
        let oneByOne = gathered.claimed.count <= Self.filesLoggedOneByOne
        var tally = BatchTally(files: gathered.claimed.count)
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
                        stuckAside.withLock { _ = $0.insert(file.name) }
                    }
                }
                logger.log(level: oneByOne ? .warning : .debug, "file \(file.id) quarantined: \(reason.rawValue)",
                           metadata: ["event": "file_quarantined", "file": "\(file.id)", "reason": "\(reason.rawValue)"])
                tally.quarantined[reason.rawValue, default: 0] += 1
            case .count(let parsed, let index):
                log(file.id, parsed, outcomes[index], quiet: !oneByOne)
                tally.add(parsed, outcomes[index])
            }
        }
        if !oneByOne { log(tally) }
        logger.debug("pass done: ingest", metadata: [
            "event": "pass_done", "pass": "ingest", "files": "\(configuration.privacy.shown(gathered.claimed.count))",
        ])
        return .done(gathered.claimed.count)
    }

    /// Removes claimed files; returns the errors by position in `names`.
    /// `removalThreads` threads share the work when there are at least
    /// `parallelRemovalFrom` names.
    func remove(_ names: [String]) -> [Int: SpoolError] {
        let threads = names.count >= Self.parallelRemovalFrom ? Self.removalThreads : 1
        let errors = Mutex<[Int: SpoolError]>([:])
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            for i in stride(from: part, to: names.count, by: threads) {
                do throws(SpoolError) {
                    try spool.remove(claimed: names[i])
                } catch {
                    errors.withLock { $0[i] = error }
                }
            }
        }
        return errors.withLock { $0 }
    }

    static let removalThreads = 4
    static let parallelRemovalFrom = 16

    /// A batch of more files than this is logged as one line, and its files
    /// one by one only at debug level. journald keeps 10,000 lines per 30 s
    /// of a service by default (RateLimitBurst): a backlog logged file by
    /// file would have it drop the lines that matter — alerts, degraded.
    /// Writing the lines was also an eighth of the ingest thread's time on
    /// one-signal files (`make bench`).
    static let filesLoggedOneByOne = 16

    /// What a batch did, summed over its files.
    struct BatchTally {
        /// Counted and quarantined alike.
        var files: Int
        var countedBefore = 0
        var accepted = 0
        var duplicates = 0
        /// Reason → rejected lines.
        var rejected: [String: Int] = [:]
        /// Reason → files quarantined whole.
        var quarantined: [String: Int] = [:]

        mutating func add(_ parsed: SignalFile, _ outcome: IngestOutcome) {
            if outcome.alreadyProcessed {
                countedBefore += 1
                return
            }
            accepted += outcome.accepted
            duplicates += outcome.duplicates
            for line in parsed.rejected { rejected[line.rejection.reason.rawValue, default: 0] += 1 }
        }
    }

    /// One line for a large batch, every count shown as "<k" or ≥ k (P4).
    func log(_ tally: BatchTally) {
        let policy = configuration.privacy
        let byReason = { (counts: [String: Int]) in
            counts.sorted { $0.key < $1.key }.map { "\($0.key) \(policy.shown($0.value))" }.joined(separator: ", ")
        }
        var metadata: Logger.Metadata = [
            "event": "batch_ingested", "files": "\(policy.shown(tally.files))", "accepted": "\(policy.shown(tally.accepted))",
        ]
        var text = "batch of \(policy.shown(tally.files)) files: accepted \(policy.shown(tally.accepted))"
        if tally.duplicates > 0 {
            text += ", duplicates \(policy.shown(tally.duplicates))"
            metadata["duplicates"] = "\(policy.shown(tally.duplicates))"
        }
        let rejectedLines = tally.rejected.values.reduce(0, +)
        if rejectedLines > 0 {
            text += ", rejected \(policy.shown(rejectedLines)) (\(byReason(tally.rejected)))"
            metadata["rejected"] = "\(policy.shown(rejectedLines))"
            metadata["reasons"] = "\(tally.rejected.keys.sorted().joined(separator: ","))"
        }
        let quarantinedFiles = tally.quarantined.values.reduce(0, +)
        if quarantinedFiles > 0 {
            text += ", files quarantined \(policy.shown(quarantinedFiles)) (\(byReason(tally.quarantined)))"
            metadata["quarantined"] = "\(policy.shown(quarantinedFiles))"
        }
        if tally.countedBefore > 0 {
            text += ", files counted before \(policy.shown(tally.countedBefore))"
        }
        logger.log(level: rejectedLines + quarantinedFiles > 0 ? .notice : .info, "\(text)", metadata: metadata)
    }

    /// One line per file: what was accepted and why lines were rejected,
    /// every count shown as "<k" or ≥ k (P4).
    /// `quiet`: at debug level, and not even put together unless debug
    /// lines are logged.
    func log(_ id: String, _ parsed: SignalFile, _ outcome: IngestOutcome, quiet: Bool = false) {
        if quiet && logger.logLevel > .debug { return }
        let policy = configuration.privacy
        if outcome.alreadyProcessed {
            logger.log(level: quiet ? .debug : .info, "file \(id) was counted before; removed", metadata: ["event": "file_repeated", "file": "\(id)"])
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
            logger.log(level: quiet ? .debug : .notice, "\(text)", metadata: metadata)
        } else {
            logger.log(level: quiet ? .debug : .info, "\(text)", metadata: metadata)
        }
    }

    /// Retention: purge the store, drop old tmp/ and quarantine entries.
    /// A failed purge is only logged (the next hour tries again), unless
    /// the store was written by a newer vertrouwd.
    func maintain(_ store: some StateStore, now: Int64) -> Scheduler.Event {
        let retention = Int64(configuration.state.retentionWeeks) * 604_800
        let oldestDay = LocalDay.string(for: now - retention, in: configuration.school.timeZone)
        do {
            let purged = try store.purge(now: now, retentionSeconds: retention,
                                         dedupHorizonSeconds: configuration.ingest.dedupHorizon.seconds, oldestDay: oldestDay)
            // With retention at its minimum and a long max_age, the purge
            // can reach hours the rules still read: start again from the store.
            if purged.buckets + purged.pupils > 0 { evaluator.storeChanged() }
            // What left (alerts, summaries, settled messages) is kept as
            // long as the counts behind it and a week and max_age more, and
            // never while anything still reads it: the rules' alert log
            // (`alertLogStart`), the disclosure check (last week's alerts),
            // the trend and rise rules (at most retention_weeks of
            // summaries, `decodeState`).
            let before = min(now - retention - configuration.ingest.maxAge.seconds - 604_800,
                             evaluator.alertLogStart(now: now))
            let released = try store.purgeReleases(before: before)
            if released.alerts + released.summaries + released.messages > 0 {
                let policy = configuration.privacy
                logger.info("""
                    purged what left before the retention: alert log \(policy.shown(released.alerts)), \
                    summaries \(policy.shown(released.summaries)), sent messages \(policy.shown(released.messages))
                    """,
                            metadata: ["event": "releases_purged"])
            }
        } catch {
            let event = failure("purge failed", error)
            if case .failedForGood = event { return event }
            logger.warning("purge failed: \(error)", metadata: ["event": "purge_failed"])
        }
        shredPupils(store, now: now)
        let tmp = spool.cleanTmp(now: now, olderThan: 36 * 3_600)
        let quarantine = spool.cleanQuarantine(now: now, olderThan: Int64(configuration.spool.quarantineDays) * 86_400)
        if tmp + quarantine > 0 {
            let policy = configuration.privacy
            logger.info("removed old spool entries: tmp \(policy.shown(tmp)), quarantine \(policy.shown(quarantine))",
                        metadata: ["event": "spool_cleaned"])
        }
        return .maintained
    }
}

extension IngestLoop {
    /// Crypto-shredding (issue 13): the weeks that are frozen and past
    /// max_age lose their pupil key and ids (`StateStore.shred`). Logs the
    /// week labels, never a count of pupils.
    func shredPupils(_ store: some StateStore, now: Int64) {
        let zone = configuration.school.timeZone
        do {
            let lastPublished = try store.lastPublishedWeekStart().map { Window.containing($0, kind: .week, in: zone) }
            let keep = PupilWeek.keptFrom(now: now, maxAge: configuration.ingest.maxAge.seconds, zone: zone,
                                          lastPublished: lastPublished, catchUpWeeks: configuration.summary.catchUpWeeks,
                                          createdAt: try store.createdAt())
            let oldest = store.oldestKeyedWeek()
            guard keep > oldest else { return }
            let removed = try store.shred(beforeWeek: keep, firstHour: PupilWeek.window(ordinal: keep, in: zone).hours.lowerBound)
            if removed > 0 { evaluator.storeChanged() }
            let last = PupilWeek.window(ordinal: keep - 1, in: zone).label
            logger.info("pupil keys destroyed up to \(last)", metadata: ["event": "pupils_shredded", "week": "\(last)"])
        } catch {
            logger.warning("shredding pupil keys failed: \(error)", metadata: ["event": "shred_failed"])
        }
    }
}
