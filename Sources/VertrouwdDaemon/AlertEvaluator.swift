// AlertEvaluator — turns the rule engine's decisions into outbox messages.
//
// Runs on the ingest thread: it evaluates at aligned ticks (DESIGN §5, or
// after every batch with "0s") and holds the decisions; at each release
// tick (`alerts.release_every`, issue 13) it records the held decisions'
// messages, stamped with the tick, together with their alert-log keys in
// one transaction: a decision already logged (after a restart or reload)
// sends nothing again. Decisions for a frozen week are not sent. The
// decisions, what they say, where they go and when they may leave are
// Core's (`RuleEngine`, `LiveCounts`, `AlertDispatch`, `AlertRelease`).
//
// Logs: rule, window label and band — the same facts the alert itself
// shows (P9), never a count.
import Foundation
import Logging
import Synchronization
import VertrouwdCore
import VertrouwdStore

public final class AlertEvaluator: Sendable {
    let configuration: Configuration
    let engine: RuleEngine
    let logger: Logger
    /// The counts and alert log between passes (`LiveCounts`): a pass after
    /// an ingest batch reads only the groups the batch touched.
    private let live: Mutex<LiveCounts>
    /// Decisions waiting for the next release tick (`AlertRelease`).
    private let held = Mutex(HeldAlerts())
    /// Decisions taken from `held` at a release tick and not yet recorded:
    /// a release goes in parts (`releasePart`), and what is decided
    /// meanwhile waits for the next tick.
    private let releasing = Mutex<[AlertDecision]>([])
    /// Alerts a release part records at most: ingest waits while a part
    /// is rendered and written (about 0.15 ms of CPU an alert here, and one
    /// commit a part).
    static let releasePart = 8
    /// Keys of decisions not sent because their week was frozen: a full
    /// pass treats them as logged, so they are not decided again in this
    /// process.
    private let suppressed = Mutex(Set<AlertKey>())

    /// Each rule's definition by name (`RuleDefinition`), for the ledger.
    let definitions: [String: String]

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.definitions = RuleDefinition.byName(configuration.rules)
        self.engine = RuleEngine(configuration: configuration)
        self.logger = logger
        self.live = Mutex(LiveCounts(engine: engine))
    }

    /// Takes the pupils an ingest batch added.
    func counted(_ pupils: [BucketCount]) {
        live.withLock { $0.add(pupils) }
    }

    /// The store changed other than by ingest (a purge): the next pass
    /// reads it afresh.
    func storeChanged() {
        live.withLock { $0.invalidate() }
    }

    /// Decides and holds; returns how many alerts wait for a release
    /// (`release`), those of a release in parts included.
    ///
    /// A full pass (the store's buckets and alert log) at the first call,
    /// after a failed one and whenever the evaluated windows moved; else
    /// only the groups counted since the last pass, and nothing at all when
    /// there are none. A decision is not written anywhere until its release
    /// (issue 13, finding 9): held decisions count as logged for the passes
    /// that follow, so none is decided twice.
    func evaluate(store: some StateStore, now: Int64) throws(StoreError) -> Int {
        guard !configuration.rules.isEmpty else { return 0 }
        let decisions: [AlertDecision]
        if live.withLock({ $0.needsFullPass(now: now) }) {
            decisions = try fullPass(store: store, now: now)
        } else {
            decisions = live.withLock { $0.evaluateChanges(now: now) }
        }
        live.withLock { $0.recorded(decisions) }
        // What waits for a release: the held decisions and those of a
        // release in parts not yet written (a failed part among them).
        let releasing = releasing.withLock { $0.count }
        return held.withLock {
            $0.hold(decisions)
            return $0.count + releasing
        }
    }

    /// Releases everything held, as of the release tick `tick`, in one
    /// go (before a summary check, which must see every alert of its week);
    /// returns how many alerts were new.
    func release(store: some StateStore, tick: Int64) throws(StoreError) -> Int {
        var added = 0
        while true {
            let part = try releasePart(store: store, tick: tick, limit: .max)
            added += part.alerts
            if part.done && held.withLock({ $0.isEmpty }) { return added }
        }
    }

    /// Releases at most `limit` of the decisions held at the release tick
    /// `tick` (`AlertRelease`): records each decision's messages, stamped
    /// with the tick, together with its alert-log keys in one transaction
    /// (a decision already logged sends nothing again); returns how many
    /// alerts were new, and whether the tick's release is done. The first
    /// part takes every held decision; decisions held after it wait for the
    /// next tick.
    ///
    /// A decision for a window in a frozen week (up to the last published
    /// summary) is not sent and not logged (issue 13, finding 8): it leaves
    /// an info line with its rule and window, never a count. Its signals
    /// stay counted.
    func releasePart(store: some StateStore, tick: Int64, limit: Int) throws(StoreError) -> (alerts: Int, done: Bool) {
        let decisions = releasing.withLock { r -> [AlertDecision] in
            if r.isEmpty { r = held.withLock { $0.take() } }
            return Array(r.prefix(limit))
        }
        guard !decisions.isEmpty else { return (0, true) }
        let zone = configuration.school.timeZone
        let frozenUntil = AlertRelease.frozenUntil(lastPublishedWeekStart: try store.lastPublishedWeekStart(), in: zone)
        let (send, frozen) = AlertRelease.partition(decisions, frozenUntil: frozenUntil)
        var records: [(keys: [AlertLogKey], messages: [OutboxEntry])] = []
        for decision in send {
            guard let decided = AlertDispatch.content(of: decision, rules: configuration.rules, zone: zone, id: Self.newID())
            else { continue }
            let content = try withSignals(decided, decision: decision, store: store)
            let keys = decision.logKeys.map { AlertLogKey(rule: $0.rule, windowStart: $0.windowStart, group: $0.group, band: $0.band) }
            let messages = AlertDispatch.messages(for: content, configuration: configuration).map {
                OutboxEntry($0, id: content.id, kind: "alert", createdAt: tick)
            }
            records.append((keys, messages))
        }
        // Each entry keeps the definition of the rule that decided it (the
        // ledger, issue 13 finding 7): this evaluator's config decided
        // every held decision. A failed write keeps the part: the next
        // release tries again.
        let added = try store.record(records, definitions: definitions, now: tick)
        let done = releasing.withLock { r in
            r.removeFirst(decisions.count)
            return r.isEmpty
        }
        suppressed.withLock { $0.formUnion(frozen.flatMap(\.logKeys)) }
        for decision in frozen {
            logger.info("alert for a frozen week not sent: rule \(decision.rule), window \(decision.window.label)",
                        metadata: ["event": "alert_frozen", "rule": "\(decision.rule)", "window": "\(decision.window.label)"])
        }
        for key in added {
            logger.notice("alert: rule \(key.rule), window starting \(LocalDay.string(for: key.windowStart, in: zone)), at least \(key.band)",
                          metadata: ["event": "alert", "rule": "\(key.rule)", "band": "\(key.band)"])
        }
        return (added.count, done)
    }

    /// The oldest window start whose alert log entries the rules read at
    /// `now`: the engine looks back over max_age and, for rise rules, one
    /// closed week; two extra weeks of log cover every window it sees.
    /// Maintenance never purges the log after this (`IngestLoop.maintain`).
    func alertLogStart(now: Int64) -> Int64 {
        now - configuration.ingest.maxAge.seconds - 2 * 604_800
    }

    /// Reads every bucket and alert-log entry the rules look at, and
    /// evaluates them all.
    private func fullPass(store: some StateStore, now: Int64) throws(StoreError) -> [AlertDecision] {
        guard let hours = engine.hoursNeeded(now: now) else { return [] }
        let since = alertLogStart(now: now)
        // An entry whose group does not decode is no group the engine can
        // decide (every group it decides encodes to a readable key), so
        // leaving it out changes no decision; it is reported, not hidden.
        var log = Set<AlertKey>()
        var unreadable = Set<GroupKeyError>()
        for entry in try store.alertLog(since: since) {
            do {
                log.insert(AlertKey(rule: entry.rule, windowStart: entry.windowStart, group: try entry.groupKey(), band: entry.band))
            } catch {
                unreadable.insert(error)
            }
        }
        // Held, releasing and suppressed decisions are not in the store's
        // log, but decided all the same.
        log.formUnion(held.withLock { $0.keys })
        log.formUnion(releasing.withLock { $0.flatMap(\.logKeys) })
        log.formUnion(suppressed.withLock { $0 })
        for reason in unreadable.sorted(by: { $0.description < $1.description }) {
            logger.warning("alert log: entries with an unreadable group left out (\(reason))",
                           metadata: ["event": "alert_log_unreadable", "reason": "\(reason)"])
        }
        // Streamed into LiveCounts, which keeps the pupils per profile and hour.
        let decisions = try live.withLock { live throws(StoreError) in
            try live.load(log: log, now: now) { (add: (BucketCount) -> Void) throws(StoreError) in
                try store.forEachPupilBucket(hours: hours) { add($0) }
            }
        }
        // A full pass reads every bucket of the open windows (after a flood,
        // 10⁵ rows); the small blocks that took would stay in the heap:
        // give them back to the system. Full passes
        // are rare (start, a new day or week, after a failure).
        Heap.trim()
        return decisions
    }

    /// The outbox routes to a recipient (`AlertDispatch.routes`), for the
    /// summary publisher.
    static func routes(for recipient: Recipient, _ delivery: DeliverySettings) -> [OutboxEntry.Route] {
        AlertDispatch.routes(for: recipient, delivery).map(OutboxEntry.Route.init)
    }

    /// 128 random bits as hex: a message's id for good.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let b = UInt8.random(in: .min ... .max, using: &generator)
            return (b < 16 ? "0" : "") + String(b, radix: 16)
        }.joined()
    }
}

extension OutboxEntry {
    /// A routed message as the outbox stores it.
    init(_ message: RoutedMessage, id: String, kind: String, createdAt: Int64) {
        self.init(id: id, recipient: message.recipient, route: Route(message.route), kind: kind, createdAt: createdAt,
                  subject: message.subject, text: message.text, html: message.html, json: message.json)
    }
}

extension OutboxEntry.Route {
    init(_ route: DeliveryRoute) {
        self = switch route {
        case .email: .email
        case .socket: .socket
        }
    }
}
