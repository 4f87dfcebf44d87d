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
// (a name is chosen by the producer) — files are named by their keyed id
// (`SpoolIDKey`, SpoolFileID.swift).
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
        /// The first batch of a pass is at most about this many bytes: the
        /// committing thread waits for it while the helper gathers it, so a
        /// small one starts the two-stage pipeline sooner (`drain`).
        public var firstBatchBytes = 2 << 20
        /// Retry delays while degraded: doubling from the first to the last.
        public var retryFirst: Double = 1
        public var retryLast: Double = 60
        /// How often purge and clean-up run.
        public var maintenanceEvery: Int64 = 3_600
        public init() {}
    }

    /// What the loop derives from its configuration: swapped whole by a
    /// reload, between two actions (never while a batch is gathered).
    struct Parts: Sendable {
        var configuration: Configuration
        var spool: SpoolDirectory
        var validator: SignalValidator
        var evaluator: AlertEvaluator
        var publisher: SummaryPublisher

        init(_ configuration: Configuration, logger: Logger) {
            self.configuration = configuration
            spool = SpoolDirectory(root: configuration.spool.path)
            validator = SignalValidator(configuration: configuration)
            evaluator = AlertEvaluator(configuration: configuration, logger: logger)
            publisher = SummaryPublisher(configuration: configuration, logger: logger)
        }
    }

    private let parts: Mutex<Parts>
    var configuration: Configuration { parts.withLock { $0.configuration } }
    var spool: SpoolDirectory { parts.withLock { $0.spool } }
    var validator: SignalValidator { parts.withLock { $0.validator } }
    var evaluator: AlertEvaluator { parts.withLock { $0.evaluator } }
    var publisher: SummaryPublisher { parts.withLock { $0.publisher } }
    // Untyped throws: a typed-throws closure here crashes the Swift 6.3.1
    // compiler (IRGen); errors are StoreErrors all the same.
    let openStore: @Sendable () throws -> any StateStore
    let logger: Logger
    /// Wall clock, milliseconds since the epoch.
    let wallClock: @Sendable () -> Int64
    let limits: Limits
    let onEvent: @Sendable (IngestEvent) -> Void
    /// Called when new messages wait in the outbox (rings the delivery doorbell).
    let onOutbox: @Sendable () -> Void
    /// Called at least every `aliveEvery` seconds while the loop works or
    /// waits (the systemd watchdog ping): from the loop itself, so a hung
    /// loop stops the pings and systemd restarts the daemon.
    let onAlive: @Sendable () -> Void
    let aliveEvery: Double?

    private let stopRequested = Atomic<Bool>(false)
    /// A configuration handed in by `reload`, not yet taken up.
    private let pendingReload = Mutex<Configuration?>(nil)
    /// The store error that ended the loop for good (a newer schema).
    let fatal = Mutex<StoreError?>(nil)
    private let watcher = Mutex<SpoolWatcher?>(nil)
    /// Names that could not be claimed or set aside: skipped until the
    /// next wake-up, so that one bad entry cannot make the loop spin.
    let stuck = Mutex<Set<String>>([])
    /// Names in cur/ that could be neither set aside nor deleted (a
    /// directory while the quarantine is broken): their rejection was
    /// counted and logged when first met. `stuck` is cleared on every
    /// wake-up so that they are tried again; a later pass that meets them
    /// rejected again keeps them waiting without counting them again.
    let stuckAside = Mutex<Set<String>>([])

    public init(
        configuration: Configuration,
        limits: Limits = Limits(),
        logger: Logger,
        wallClock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) },
        openStore: (@Sendable () throws -> any StateStore)? = nil,
        onEvent: @escaping @Sendable (IngestEvent) -> Void = { _ in },
        onOutbox: @escaping @Sendable () -> Void = {},
        aliveEvery: Double? = nil,
        onAlive: @escaping @Sendable () -> Void = {}
    ) {
        self.parts = Mutex(Parts(configuration, logger: logger))
        // Asked for at every pass: the shared store opens once and checks
        // its schema at every later call.
        let shared = SharedStore(path: configuration.state.path, clock: { Scheduler.Time.seconds(wall: wallClock()) })
        self.openStore = openStore ?? { try shared.get() }
        self.logger = logger
        self.wallClock = wallClock
        self.limits = limits
        self.onEvent = onEvent
        self.onOutbox = onOutbox
        self.aliveEvery = aliveEvery
        self.onAlive = onAlive
    }

    /// Asks the loop to stop after the batch in hand. Thread-safe.
    public func stop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        watcher.withLock { $0?.wake() }
    }

    var stopping: Bool { stopRequested.load(ordering: .sequentiallyConsistent) }

    /// Hands a reloaded configuration to the running loop. Thread-safe.
    /// A drain ends after the batch in hand, a wait at once; then the
    /// scheduler gets the `reload` event and plans again (the loop, its
    /// READY, its degraded state and its store stay). A changed
    /// `state.path` takes effect at the next start.
    public func reload(_ configuration: Configuration) {
        pendingReload.withLock { $0 = configuration }
        watcher.withLock { $0?.wake() }
    }

    /// Whether the action in hand should end early: a stop, or a reload
    /// to take up.
    var interrupted: Bool { stopping || pendingReload.withLock { $0 != nil } }

    /// Takes up a pending configuration: new parts, and the spool watched
    /// again when it moved. Returns the scheduler's `reload` event.
    func takeReload() -> Scheduler.Event? {
        guard let new = pendingReload.withLock({ c -> Configuration? in defer { c = nil }; return c }) else { return nil }
        let moved = new.spool.path != configuration.spool.path
        parts.withLock { $0 = Parts(new, logger: logger) }
        if moved { watcher.withLock { $0 = nil } }
        logger.info("ingest: the reloaded configuration is in use", metadata: ["event": "reload_applied"])
        return .reload(schedulerSettings)
    }

    /// The scheduler's settings for this configuration.
    var schedulerSettings: Scheduler.Settings {
        var settings = Scheduler.Settings(evaluateEvery: configuration.alerts.evaluateEvery, zone: configuration.school.timeZone,
                                          rescan: configuration.spool.rescan,
                                          watchdog: aliveEvery.map { Int64(($0 * 1_000).rounded()) },
                                          releaseEvery: configuration.alerts.releaseEvery)
        settings.maintenanceEvery = limits.maintenanceEvery
        settings.retryFirst = Int64((limits.retryFirst * 1_000).rounded())
        settings.retryLast = Int64((limits.retryLast * 1_000).rounded())
        return settings
    }

    /// The scheduler's clock value, read now.
    func now() -> Scheduler.Time {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Scheduler.Time(wall: wallClock(), monotonic: Int64(ts.tv_sec) * 1_000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    /// Wall clock, whole seconds (the store's and the rules' unit).
    func clock() -> Int64 { Scheduler.Time.seconds(wall: wallClock()) }

    /// Runs until `stop()`. Every failure is logged, reported as degraded
    /// where it stops progress, and retried, but one: a state database
    /// written by a newer vertrouwd, thrown as the `StoreError` of kind
    /// `.newerSchema` (the daemon stops with exit status 78).
    ///
    /// What to do when is the `Scheduler`'s decision; this carries its
    /// actions out and reports their outcomes back.
    public func run() throws(StoreError) {
        var scheduler = Scheduler(settings: schedulerSettings)
        var store: (any StateStore)?
        var step = scheduler.handle(.started, now: now())
        while true {
            for notification in step.notifications { tell(notification) }
            let outcome: Scheduler.Event
            // The scheduler acts on the store only after `prepared`.
            func opened() -> any StateStore {
                guard let store else { preconditionFailure("an action on the store before it was opened") }
                return store
            }
            switch step.action {
            case .exit:
                logger.info("ingest stopped", metadata: ["event": "stopped"])
                if let error = fatal.withLock({ $0 }) { throw error }
                return
            case .prepare:
                outcome = prepare(&store)
            case .drain:
                outcome = drain(opened(), heartbeat: { if scheduler.heartbeat(now: self.now()) { self.onAlive() } })
            case .evaluate(let at):
                outcome = evaluate(opened(), at: at)
            case .release(let at):
                outcome = release(opened(), tick: at)
            case .publish(let at):
                outcome = publish(opened(), at: at)
            case .maintain(let at):
                outcome = maintain(opened(), now: at)
            case .wait(let milliseconds):
                wait(milliseconds: milliseconds)
                outcome = .woke
            }
            step = scheduler.handle(stopping ? .stop : outcome, now: now())
            // A reload comes once the outcome is handled; what it was to tell
            // is still told.
            if step.action != .exit, let reload = takeReload() {
                let told = step.notifications
                step = scheduler.handle(reload, now: now())
                step.notifications = told + step.notifications
            }
        }
    }

    /// Carries a notification out: log lines, sd_notify, the watchdog.
    func tell(_ notification: Scheduler.Notification) {
        switch notification {
        case .ready:
            onEvent(.ready)
        case .degraded(let reason):
            logger.error("degraded: \(reason); files stay in the spool until this is fixed", metadata: ["event": "degraded"])
            onEvent(.degraded(reason: reason))
        case .resumed:
            logger.notice("resumed: the state database can be written again", metadata: ["event": "resumed"])
            onEvent(.resumed)
        case .watchdog:
            onAlive()
        case .idle:
            onEvent(.idle)
        }
    }

    /// Gets the store (`openStore` opens it once, and checks at every
    /// later call that no newer vertrouwd has migrated it meanwhile) and
    /// watches the spool unless done already.
    func prepare(_ store: inout (any StateStore)?) -> Scheduler.Event {
        do {
            store = try openStore()
        } catch {
            return failure("cannot open the state database: \(error)", error)
        }
        if watcher.withLock({ $0 == nil }) {
            do {
                try spool.prepare()
                let w = try SpoolWatcher(directory: spool.newPath)
                watcher.withLock { $0 = w }
            } catch {
                return .failed(reason: "cannot watch the spool: \(error)")
            }
        }
        return .prepared
    }

    /// Rules run at aligned ticks ("0s": after every drain); what they
    /// decide is held until the next release tick.
    func evaluate(_ store: some StateStore, at now: Int64) -> Scheduler.Event {
        do {
            let held = try evaluator.evaluate(store: store, now: now)
            // "none held": nothing waits for a release tick, so none comes
            // (tests wait for this line to know that a file decided nothing).
            logger.debug(held > 0 ? "pass done: evaluation" : "pass done: evaluation, none held", metadata: [
                "event": "pass_done", "pass": "evaluation", "held": "\(configuration.privacy.shown(held))",
            ])
            return held > 0 ? .evaluated : .evaluatedNoneHeld
        } catch {
            return failure("cannot evaluate the rules (\(error))", error)
        }
    }

    /// Alerts leave at aligned release ticks only (`AlertRelease`), so an
    /// alert's arrival time and Date header tell no more than the tick. A
    /// release goes in parts (`AlertEvaluator.releasePart`), with a drain
    /// between them: files that come meanwhile wait for one part, not for
    /// hundreds of alerts.
    func release(_ store: some StateStore, tick: Int64) -> Scheduler.Event {
        do {
            let part = try evaluator.releasePart(store: store, tick: tick, limit: AlertEvaluator.releasePart)
            if part.alerts > 0 { onOutbox() }
            // "pass done: release" once the tick's last part is out; the
            // parts before it say "partial release".
            logger.debug(part.done ? "pass done: release" : "pass done: partial release", metadata: [
                "event": "pass_done", "pass": "release", "alerts": "\(configuration.privacy.shown(part.alerts))",
            ])
            return part.done ? .released : .releasedInPart
        } catch {
            return failure("cannot release the alerts (\(error))", error)
        }
    }

    /// Weekly summaries that are due, missed weeks included.
    func publish(_ store: some StateStore, at now: Int64) -> Scheduler.Event {
        do {
            // Alerts still held for the next release tick leave first,
            // stamped with the last tick: the summary's check reads the
            // alert log, and an alert of its week held past it would be
            // frozen out while its silence was taken as a fact (issue 13).
            // Only when a summary is due: on any other check (every start)
            // they wait for their tick, as finding 9 wants.
            if try !publisher.dueWeeks(store: store, now: now).isEmpty {
                let tick = AlertRelease.latestTick(atOrBefore: now, every: configuration.alerts.releaseEvery,
                                                   in: configuration.school.timeZone)
                if try evaluator.release(store: store, tick: tick) > 0 { onOutbox() }
            }
            let outcome = try publisher.publishDue(store: store, now: now, backlog: backlog())
            if outcome.published > 0 { onOutbox() }
            logger.debug("pass done: publication", metadata: [
                "event": "pass_done", "pass": "publication", "published": "\(configuration.privacy.shown(outcome.published))",
            ])
            return .published(nextDue: outcome.nextCheck)
        } catch {
            return failure("cannot publish the weekly summary (\(error))", error)
        }
    }

    /// The event for an action that failed with `error`: `failedForGood`
    /// when no retry can help (a store written by a newer vertrouwd; `run`
    /// throws it once the loop has ended), else `failed` with `reason`.
    func failure(_ reason: String, _ error: any Error) -> Scheduler.Event {
        if let error = error as? StoreError, error.isPermanent {
            fatal.withLock { $0 = error }
            return .failedForGood(reason: error.detail)
        }
        return .failed(reason: reason)
    }

    /// Waits for the spool to change, at most `milliseconds`, returning
    /// early when stopped.
    func wait(milliseconds: Int64) {
        if let w = watcher.withLock({ $0 }) {
            let event = w.wait(timeoutMilliseconds: Int32(clamping: milliseconds))
            stuck.withLock { $0.removeAll() }
            if event == .lost {
                logger.warning("the spool's new/ folder was moved or removed; preparing it again", metadata: ["event": "spool_lost"])
                watcher.withLock { $0 = nil }
            }
            return
        }
        // Not watching (degraded before the watcher was made): sleep in
        // slices, so that a stop is seen at once.
        var left = milliseconds
        while left > 0, !interrupted {
            Thread.sleep(forTimeInterval: Double(min(left, 100)) / 1_000)
            left -= 100
        }
    }

    /// Files waiting in new/ and cur/ (the summary's spool backlog).
    func backlog() -> Int {
        ((try? spool.pending(.new).count) ?? 0) + ((try? spool.pending(.cur).count) ?? 0)
    }
}
