// HealthService — tells IT when the system is unwell (issue 15 §1).
//
// Gathers system facts (given-up deliveries from the delivery routes, the
// outbox backlog, today's rejects by reason code, when each watched source
// last sent, the store's write state, free disk space), lets
// `HealthMonitor` (Core, pure) decide what to tell, and queues one health
// message per recipient that receives "health" and per route, through the
// outbox like any other message. When the store cannot write, the message
// goes out at once through the same transports instead.
//
// Runs a check at once when something happens (a delivery settled, the
// store degraded or resumed), when a watched source turns silent, and at
// least once a minute, never more than four times a second (a burst of
// deliveries is one check); it also keeps
// the sd_notify STATUS line's outbox part ("3 messages waiting, oldest
// 2 h") current.
//
// Security stance: facts only — no bucket, pupil count or rejected value
// reaches these messages (`HealthFacts` holds none).
// Logs: each notice at warning ("health: … raised") or notice level
// ("health: … cleared"), a queued health message at info, and once at
// start and after a reload, at info, when no recipient receives "health"
// (then problems are only in this log and no weekly health report goes out).
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore

#if canImport(Glibc)
import Glibc
#endif

public final class HealthService: Service, Sendable {
    struct State: Sendable {
        var configuration: Configuration
        var monitor: HealthMonitor
        var facts = HealthFacts()
        var activity: SourceActivity
        /// The ingest loop's STATUS text, before the outbox part; "" until
        /// the loop first said something (the daemon says "starting").
        var base = ""
        var shownStatus = ""
        /// Whether the routes' failures were read from the outbox yet (once).
        var seeded = false
        /// Routes settled since the start: what they did is newer than the outbox's record.
        var settledRoutes: Set<DeliveryRoute> = []
    }

    let state: Mutex<State>
    let bell = Doorbell()
    let openStore: @Sendable () throws -> any StateStore
    let delivery: DeliveryService
    let outboxBell: Doorbell
    let logger: Logger
    let clock: @Sendable () -> Int64
    let onStatus: @Sendable (String) -> Void
    let diskSpace: @Sendable (String) -> DiskSpace?

    /// - Parameters:
    ///   - outboxBell: rung after health messages were queued (delivery's doorbell).
    ///   - onStatus: the STATUS text, whenever it changes.
    public init(configuration: Configuration, openStore: @escaping @Sendable () throws -> any StateStore,
                delivery: DeliveryService, outboxBell: Doorbell, logger: Logger,
                repeatEvery: Interval = HealthMonitor.defaultRepeat,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                diskSpace: @escaping @Sendable (String) -> DiskSpace? = HealthService.diskSpace(of:),
                onStatus: @escaping @Sendable (String) -> Void) {
        let now = clock()
        state = Mutex(State(configuration: configuration, monitor: HealthMonitor(repeatEvery: repeatEvery),
                            activity: SourceActivity(sources: configuration.silenceLimits.keys, start: now)))
        self.openStore = openStore
        self.delivery = delivery
        self.outboxBell = outboxBell
        self.logger = logger
        self.clock = clock
        self.onStatus = onStatus
        self.diskSpace = diskSpace
        delivery.observers.add { [weak self] entry, settlement in self?.settled(entry, settlement) }
    }

    /// Takes a reloaded configuration: recipients, watched sources.
    public func reload(_ configuration: Configuration) {
        let now = clock()
        state.withLock {
            $0.configuration = configuration
            $0.activity.watch(Set(configuration.silenceLimits.keys), now: now)
        }
        tellWhenNobodyReceivesHealth(configuration)
        bell.ring()
    }

    /// Says once (info) that health goes nowhere but this log: the summary
    /// no longer carries it (issue 15 §3), so without a health recipient
    /// IT hears of a problem only here.
    func tellWhenNobodyReceivesHealth(_ configuration: Configuration) {
        guard !configuration.recipients.contains(where: { $0.receives.contains(.health) }) else { return }
        logger.info("health: no recipient receives \"health\"; problems are only logged here and no weekly health report is sent",
                    metadata: ["event": "health_nobody"])
    }

    /// What the ingest loop said: the STATUS base and the store's state.
    /// Call it after the daemon sent the event's own STATUS.
    public func ingest(_ event: IngestEvent) {
        // A finished pass may have counted a watched source's signals.
        if event == .idle { bell.ring(); return }
        state.withLock {
            switch event {
            case .ready: $0.base = "watching the spool"
            case .degraded(let reason): $0.base = "degraded: \(reason)"; $0.facts.degradedReason = reason
            case .resumed: $0.base = "watching the spool (resumed)"; $0.facts.degradedReason = nil
            case .idle: return
            }
            // The daemon has just shown the base as it is.
            $0.shownStatus = $0.base
        }
        bell.ring()
    }

    func settled(_ entry: OutboxEntry, _ settlement: Settlement) {
        let now = clock()
        let route = DeliveryRoute(rawValue: entry.route.rawValue)!
        switch settlement {
        case .delivered:
            state.withLock { $0.facts.record(route: route, delivered: true, now: now); $0.settledRoutes.insert(route) }
        case .failed(let reason, _):
            state.withLock { $0.facts.record(route: route, delivered: false, reason: reason, now: now); $0.settledRoutes.insert(route) }
        case .retry: break
        }
        bell.ring()
    }

    var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    /// The least time from one check to the next.
    static let checkGap = Duration.milliseconds(250)

    public func run() async throws {
        tellWhenNobodyReceivesHealth(state.withLock { $0.configuration })
        await withGracefulShutdownHandler {
            while !self.stopping {
                let checked = ContinuousClock.now
                await self.check()
                if self.stopping { break }
                await self.bell.wait(seconds: self.secondsToNextCheck())
                // The bell rings per settled delivery and per finished
                // pass: a burst of them is one check, at most one per
                // `checkGap`. A check reads the store, which ingest waits
                // for meanwhile.
                let due = checked + Self.checkGap
                if !self.stopping, due > .now { try? await Task.sleep(until: due) }
            }
        } onGracefulShutdown: {
            self.bell.ring()
        }
    }

    /// Until a watched source would turn silent or a reminder is due, at
    /// most 60 s (the outbox and the disk are looked at each minute).
    func secondsToNextCheck() -> Double {
        let now = clock()
        let next = state.withLock { s -> Int64? in
            let limits = s.configuration.silenceLimits
            let silences = s.facts.lastSeen.compactMap { source, seen in limits[source].map { seen + $0.seconds + 1 } }
            return (silences + [s.monitor.nextReminder()].compactMap { $0 }).filter { $0 > now }.min()
        }
        return Double(min(60, max(1, (next ?? now + 60) - now)))
    }

    /// One check: read the facts, decide, queue or send what was decided,
    /// refresh STATUS.
    func check() async {
        let now = clock()
        let configuration = state.withLock { $0.configuration }
        let zone = configuration.school.timeZone
        var pending: (count: Int, oldest: Int64?)?
        var today: [String: [String: Int]]?
        var givenUp: [OutboxEntry.Route: GivenUp]?
        let store = try? openStore()
        if let store {
            // A route that was failing before a restart is still failing.
            if !state.withLock({ $0.seeded }) { givenUp = try? store.givenUpSinceLastDelivery() }
            pending = try? store.pendingOutboxSummary()
            today = try? store.health(day: LocalDay.string(for: now, in: zone))
        }
        let directory = (configuration.state.path as NSString).deletingLastPathComponent
        let disk = diskSpace(directory.isEmpty ? "." : directory)
        let (notices, facts, status) = state.withLock { s -> ([HealthNotice], HealthFacts, String) in
            if let givenUp, !s.seeded {
                s.seeded = true
                for (route, g) in givenUp {
                    let r = DeliveryRoute(rawValue: route.rawValue)!
                    guard !s.settledRoutes.contains(r) else { continue }
                    s.facts.failing[r] = HealthFacts.RouteFailure(count: g.count, reason: g.reason, since: g.since)
                }
            }
            if let pending {
                s.facts.waiting = pending.count
                s.facts.oldestWaiting = pending.oldest
            }
            if let today {
                var sent: [String: Int] = [:]
                for (source, reasons) in today where !source.isEmpty {
                    sent[source] = reasons["accepted", default: 0] + reasons["duplicate", default: 0]
                }
                s.activity.observe(day: LocalDay.string(for: now, in: zone), counts: sent, now: now)
                s.facts.rejects = today[""] ?? [:]
            }
            s.facts.lastSeen = s.activity.lastSeen
            s.facts.disk = disk
            let notices = s.monitor.step(active: s.facts.problems(expectEvery: configuration.silenceLimits, now: now), now: now)
            let status = OutboxStatus.line(s.base, waiting: s.facts.waiting, oldest: s.facts.oldestWaiting, now: now)
            let changed = !s.base.isEmpty && status != s.shownStatus
            s.shownStatus = status
            return (notices, s.facts, changed ? status : "")
        }
        if !status.isEmpty { onStatus(status) }
        guard !notices.isEmpty else { return }
        for n in notices {
            let meta: Logger.Metadata = ["event": "health", "problem": "\(n.problem.code)", "change": "\(n.change.rawValue)"]
            if n.change == .cleared {
                logger.notice("health: \(n.problem.code) cleared", metadata: meta)
            } else {
                logger.warning("health: \(n.problem.code) \(n.change.rawValue)", metadata: meta)
            }
        }
        await send(notices, facts: facts, configuration: configuration, store: store, now: now)
    }

    /// Queues one health message per health recipient and route; sends at
    /// once when the outbox cannot take them.
    func send(_ notices: [HealthNotice], facts: HealthFacts, configuration: Configuration, store: (any StateStore)?, now: Int64) async {
        let recipients = configuration.recipients.filter { $0.receives.contains(.health) }
        guard !recipients.isEmpty else { return }
        let repeatEvery = state.withLock { $0.monitor.repeatEvery }
        let id = AlertEvaluator.newID()
        var entries: [OutboxEntry] = []
        var rendered: [Language: HealthMessage] = [:]
        for recipient in recipients {
            let m = rendered[recipient.language] ?? HealthMessage(
                id: id, notices: notices, facts: facts, schoolName: configuration.school.name,
                language: recipient.language, zone: configuration.school.timeZone, now: now, repeatEvery: repeatEvery)
            rendered[recipient.language] = m
            for route in AlertEvaluator.routes(for: recipient, configuration.delivery) {
                entries.append(OutboxEntry(id: id, recipient: recipient.name, route: route, kind: "health", createdAt: now,
                                           subject: m.subject, text: m.text, html: m.html, json: m.json))
            }
        }
        do {
            guard let store else { throw StoreError(.cannotOpen, "the store is not open") }
            try store.enqueue(entries)
            logger.info("health message \(id) queued for \(recipients.map(\.name).joined(separator: ", "))", metadata: ["event": "health_queued"])
            outboxBell.ring()
        } catch {
            // A store that cannot write is itself a problem to tell: send now.
            for recipient in recipients {
                let m = rendered[recipient.language]!
                let message = OutgoingMessage(id: id, kind: .health, subject: m.subject, text: m.text, html: m.html, json: m.json, created: now)
                for r in await delivery.sendNow(message, to: [recipient]) {
                    logger.warning("health message \(id) to \(r.recipient) by \(r.route.rawValue), sent at once (the outbox cannot take it): \(r.outcome) \(r.reason)",
                                   metadata: ["event": "health_direct"])
                }
            }
        }
    }

    /// Free and total bytes of the file system holding `path`, or nil.
    public static func diskSpace(of path: String) -> DiskSpace? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        let unit = Int64(s.f_frsize == 0 ? s.f_bsize : s.f_frsize)
        return DiskSpace(free: Int64(s.f_bavail) * unit, total: Int64(s.f_blocks) * unit)
    }
}
