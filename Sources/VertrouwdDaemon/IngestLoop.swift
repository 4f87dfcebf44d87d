// IngestLoop — claims spool files, counts their signals, removes them.
//
// Exactly once: a file is claimed by renaming it into cur/, its signals and
// its digest are committed in one transaction with the rest of its batch,
// and only then is it unlinked. A crash at any point leaves the file in
// new/ or cur/, where the next start finds it; the digest and the signal
// keys make counting it again add nothing.
//
// Security stance: spool files are hostile. The spool layer never follows
// links or opens anything but a regular file; file names are never logged
// (a name is chosen by the producer) — files are named by spoolFileID.
// Logs give counts as "<k" or ≥ k (P4) and reason codes, never a value.
import Foundation
import Logging
import Synchronization
import VertrouwdCore
import VertrouwdSpool
import VertrouwdStore

/// The ingest work of the daemon, run on a thread of its own: everything
/// it does (rename, read, SQLite) blocks, and when idle it sleeps in poll()
/// on inotify, costing nothing.
public final class IngestLoop: Sendable {
    public struct Limits: Sendable {
        /// At most this many files in one transaction.
        public var batchFiles = 512
        /// At most about this many bytes of spool files in one transaction.
        public var batchBytes = 16 << 20
        /// Retry delays while degraded: doubling from the first to the last.
        public var retryFirst: Double = 1
        public var retryLast: Double = 60
        /// How often purge and clean-up run.
        public var maintenanceEvery: Int64 = 3_600
        public init() {}
    }

    let configuration: Configuration
    let spool: SpoolDirectory
    let validator: SignalValidator
    // Untyped throws: a typed-throws closure here crashes the Swift 6.3.1
    // compiler (IRGen); errors are StoreErrors all the same.
    let openStore: @Sendable () throws -> any StateStore
    let logger: Logger
    let clock: @Sendable () -> Int64
    let limits: Limits
    let onEvent: @Sendable (IngestEvent) -> Void
    /// Called when new messages wait in the outbox (rings the delivery doorbell).
    let onOutbox: @Sendable () -> Void
    /// Called at least every `aliveEvery` seconds while the loop works or
    /// waits (the systemd watchdog ping): from the loop itself, so a hung
    /// loop stops the pings and systemd restarts the daemon.
    let onAlive: @Sendable () -> Void
    let aliveEvery: Double?
    private let lastAlive = Mutex<Double>(0)
    let evaluator: AlertEvaluator
    let publisher: SummaryPublisher

    private let stopRequested = Atomic<Bool>(false)
    private let watcher = Mutex<SpoolWatcher?>(nil)
    /// Names that could not be claimed or set aside: skipped until the
    /// next wake-up, so that one bad entry cannot make the loop spin.
    let stuck = Mutex<Set<String>>([])

    public init(
        configuration: Configuration,
        limits: Limits = Limits(),
        logger: Logger,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        openStore: (@Sendable () throws -> any StateStore)? = nil,
        onEvent: @escaping @Sendable (IngestEvent) -> Void = { _ in },
        onOutbox: @escaping @Sendable () -> Void = {},
        aliveEvery: Double? = nil,
        onAlive: @escaping @Sendable () -> Void = {}
    ) {
        self.configuration = configuration
        self.spool = SpoolDirectory(root: configuration.spool.path)
        self.validator = SignalValidator(taxonomy: configuration.taxonomy, sources: configuration.sources, ingest: configuration.ingest)
        let path = configuration.state.path
        self.openStore = openStore ?? { try SignalStore(path: path, now: clock()) }
        self.logger = logger
        self.clock = clock
        self.limits = limits
        self.onEvent = onEvent
        self.onOutbox = onOutbox
        self.aliveEvery = aliveEvery
        self.onAlive = onAlive
        self.evaluator = AlertEvaluator(configuration: configuration, logger: logger)
        self.publisher = SummaryPublisher(configuration: configuration, logger: logger)
    }

    /// Asks the loop to stop after the batch in hand. Thread-safe.
    public func stop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        watcher.withLock { $0?.wake() }
    }

    var stopping: Bool { stopRequested.load(ordering: .sequentiallyConsistent) }

    /// Pings the watchdog when the interval is due.
    func alive() {
        guard let every = aliveEvery else { return }
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let now = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        let due = lastAlive.withLock { last -> Bool in
            guard now - last >= every * 0.9 else { return false }
            last = now
            return true
        }
        if due { onAlive() }
    }

    /// Runs until `stop()`. Never throws: every failure is logged, reported
    /// as degraded where it stops progress, and retried.
    public func run() {
        var store: (any StateStore)?
        var degraded: String?
        var retryDelay = limits.retryFirst
        var lastMaintenance: Int64 = 0
        var announcedReady = false
        var nextEvaluation: Int64 = 0
        // 0: check at start (catch-up after downtime); then at the next due time.
        var nextSummaryCheck: Int64 = 0
        let every = configuration.alerts.evaluateEvery
        let zone = configuration.school.timeZone

        while !stopping {
            var problem: String?
            if store == nil {
                do {
                    store = try openStore()
                } catch {
                    problem = "cannot open the state database: \(error)"
                }
            }
            if problem == nil, watcher.withLock({ $0 == nil }) {
                do {
                    try spool.prepare()
                    let w = try SpoolWatcher(directory: spool.newPath)
                    watcher.withLock { $0 = w }
                    if stopping { break }
                } catch {
                    problem = "cannot watch the spool: \(error)"
                }
            }
            // Ready once the store is open and the spool is watched, before a
            // backlog is worked off: a large one must not hold up start-up.
            // Ready also when degraded: the daemon is up and will recover.
            if !announcedReady {
                announcedReady = true
                onEvent(.ready)
            }
            // systemd's watchdog runs once start-up is complete.
            alive()
            if problem == nil, let store {
                problem = drain(store)
            }
            // Rules run at aligned ticks ("0s": after every pass), so an
            // alert's arrival time tells no more than the tick.
            if problem == nil, let store, every.seconds == 0 || clock() >= nextEvaluation {
                let now = clock()
                do {
                    if try evaluator.evaluate(store: store, now: now) > 0 { onOutbox() }
                    nextEvaluation = every.seconds == 0 ? now : Tick.nextTick(after: now, every: every, in: zone)
                } catch {
                    problem = "cannot evaluate the rules (\(error))"
                }
            }
            // Weekly summaries that are due, missed weeks included: at start
            // and when the next one falls due, not on every pass.
            if problem == nil, let store, clock() >= nextSummaryCheck {
                do {
                    let now = clock()
                    if try publisher.publishDue(store: store, now: now, backlog: backlog()) > 0 { onOutbox() }
                    nextSummaryCheck = publisher.nextDue(after: now)
                } catch {
                    problem = "cannot publish the weekly summary (\(error))"
                }
            }
            if let problem {
                if degraded == nil {
                    logger.error("degraded: \(problem); files stay in the spool until this is fixed",
                                 metadata: ["event": "degraded"])
                    onEvent(.degraded(reason: problem))
                }
                degraded = problem
                pause(seconds: retryDelay)
                retryDelay = min(retryDelay * 2, limits.retryLast)
                continue
            }
            if degraded != nil {
                logger.notice("resumed: the state database can be written again", metadata: ["event": "resumed"])
                onEvent(.resumed)
                degraded = nil
            }
            retryDelay = limits.retryFirst
            let now = clock()
            if let store, now - lastMaintenance >= limits.maintenanceEvery {
                maintain(store, now: now)
                lastMaintenance = now
            }
            onEvent(.idle)
            if stopping { break }
            var waitMilliseconds = configuration.spool.rescan.seconds * 1_000 + 50
            if every.seconds > 0 { waitMilliseconds = max(0, min(waitMilliseconds, (nextEvaluation - clock()) * 1_000 + 50)) }
            if let aliveEvery { waitMilliseconds = min(waitMilliseconds, Int64(aliveEvery * 1_000)) }
            waitMilliseconds = max(0, min(waitMilliseconds, (publisher.nextDue(after: clock()) - clock()) * 1_000 + 50))
            let event = watcher.withLock { $0 }?.wait(timeoutMilliseconds: Int32(clamping: waitMilliseconds))
            stuck.withLock { $0.removeAll() }
            if event == .lost {
                logger.warning("the spool's new/ folder was moved or removed; preparing it again", metadata: ["event": "spool_lost"])
                watcher.withLock { $0 = nil }
            }
        }
        logger.info("ingest stopped", metadata: ["event": "stopped"])
    }

    /// Files waiting in new/ and cur/ (the summary's spool backlog).
    func backlog() -> Int {
        ((try? spool.pending(.new).count) ?? 0) + ((try? spool.pending(.cur).count) ?? 0)
    }

    /// Sleeps up to `seconds`, returning early when stopped; the watchdog
    /// is still pinged, since degraded is not hung.
    private func pause(seconds: Double) {
        if let aliveEvery, seconds > aliveEvery {
            var left = seconds
            while left > 0, !stopping {
                pauseOnce(seconds: min(left, aliveEvery))
                alive()
                left -= aliveEvery
            }
            return
        }
        pauseOnce(seconds: seconds)
    }

    private func pauseOnce(seconds: Double) {
        if let w = watcher.withLock({ $0 }) {
            _ = w.wait(timeoutMilliseconds: Int32(seconds * 1_000))
            return
        }
        var left = seconds
        while left > 0, !stopping {
            Thread.sleep(forTimeInterval: min(left, 0.1))
            left -= 0.1
        }
    }

    /// Counts everything waiting: first what an earlier run claimed (cur/),
    /// then new/, again until new/ is empty. Returns a problem that stops
    /// progress, or nil.
    func drain(_ store: some StateStore) -> String? {
        var folders: [SpoolDirectory.Folder] = [.cur, .new]
        while let folder = folders.first, !stopping {
            let names: [String]
            do {
                let skip = stuck.withLock { $0 }
                names = try spool.pending(folder).filter { !skip.contains($0) }
            } catch {
                return "cannot list the spool: \(error)"
            }
            if names.isEmpty {
                folders.removeFirst()
                continue
            }
            // Two stages: while one batch commits (SQLite, fsync, unlink),
            // a helper claims, reads and parses the next one — the two
            // cores of a small server both work on a backlog.
            var handled = 0
            var pending: Pending? = Pending(self, names, from: 0, folder: folder, store: store)
            while let current = pending?.wait() {
                pending = nil
                if !stopping, current.problem == nil, current.next < names.count {
                    pending = Pending(self, names, from: current.next, folder: folder, store: store)
                }
                alive()
                switch settle(current, store: store) {
                case .failed(let problem):
                    // What the helper claimed meanwhile waits in cur/.
                    _ = pending?.wait()
                    return problem
                case .done(let count): handled += count
                }
            }
            if stopping { return nil }
            // cur/ is worked through once; new/ again while it keeps
            // filling, but not when a pass could take nothing from it.
            if folder == .cur || handled == 0 { folders.removeFirst() }
        }
        return nil
    }

    /// A batch being gathered on a helper thread.
    final class Pending: @unchecked Sendable {
        // Written once by the helper before `done` is signalled, read
        // only after waiting on it.
        private var result: Gathered?
        private let done = DispatchSemaphore(value: 0)

        init(_ loop: IngestLoop, _ names: [String], from start: Int, folder: SpoolDirectory.Folder, store: some StateStore) {
            IngestLoop.helper.async {
                self.result = loop.gather(names, from: start, folder: folder, store: store)
                self.done.signal()
            }
        }

        func wait() -> Gathered? {
            done.wait()
            done.signal() // a second wait returns at once
            return result
        }
    }

    /// Where batches are gathered ahead of the commit.
    static let helper = DispatchQueue(label: "vertrouwd-ingest-gather")
}
