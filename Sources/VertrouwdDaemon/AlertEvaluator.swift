// AlertEvaluator — turns the rule engine's decisions into outbox messages.
//
// Runs on the ingest thread at aligned ticks (DESIGN §5). Every decision is
// rendered for each recipient that receives alerts, in the recipient's
// language, once per route (e-mail, socket), and recorded together with
// its alert-log keys in one transaction: a decision already logged (after
// a restart or reload) sends nothing again.
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

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.engine = RuleEngine(rules: configuration.rules, taxonomy: configuration.taxonomy,
                                 minGroupSize: configuration.privacy.minGroupSize, zone: configuration.school.timeZone,
                                 maxAge: configuration.ingest.maxAge)
        self.logger = logger
        self.live = Mutex(LiveCounts(engine: engine))
    }

    /// Takes the bucket increments an ingest batch committed.
    func counted(_ increments: [StoredBucket]) {
        let buckets = increments.map(BucketCount.init)
        live.withLock { $0.add(buckets) }
    }

    /// The store changed other than by ingest (a purge): the next pass
    /// reads it afresh.
    func storeChanged() {
        live.withLock { $0.invalidate() }
    }

    /// Decides and records; returns how many alerts were new.
    ///
    /// A full pass (the store's buckets and alert log) at the first call,
    /// after a failed one and whenever the evaluated windows moved; else
    /// only the groups counted since the last pass, and nothing at all when
    /// there are none.
    func evaluate(store: some StateStore, now: Int64) throws(StoreError) -> Int {
        guard !configuration.rules.isEmpty else { return 0 }
        let decisions: [AlertDecision]
        if live.withLock({ $0.needsFullPass(now: now) }) {
            decisions = try fullPass(store: store, now: now)
        } else {
            decisions = live.withLock { $0.evaluateChanges(now: now) }
        }
        guard !decisions.isEmpty else {
            live.withLock { $0.recorded([]) }
            return 0
        }
        let records = decisions.compactMap { decision -> (keys: [AlertLogKey], messages: [OutboxEntry])? in
            guard let content = content(of: decision) else { return nil }
            let keys = decision.logKeys.map { AlertLogKey(rule: $0.rule, windowStart: $0.windowStart, group: $0.group, band: $0.band) }
            return (keys, messages(for: content, now: now))
        }
        let added: [AlertLogKey]
        do {
            added = try store.record(records, now: now)
        } catch {
            live.withLock { $0.invalidate() }
            throw error
        }
        live.withLock { $0.recorded(decisions) }
        for key in added {
            logger.notice("alert: rule \(key.rule), window starting \(LocalDay.string(for: key.windowStart, in: configuration.school.timeZone)), at least \(key.band)",
                          metadata: ["event": "alert", "rule": "\(key.rule)", "band": "\(key.band)"])
        }
        return added.count
    }

    /// Reads every bucket and alert-log entry the rules look at, and
    /// evaluates them all.
    private func fullPass(store: some StateStore, now: Int64) throws(StoreError) -> [AlertDecision] {
        guard let hours = engine.hoursNeeded(now: now) else { return [] }
        // The engine looks back over max_age and, for rise rules, one
        // closed week: two extra weeks of log cover every window it sees.
        let since = now - configuration.ingest.maxAge.seconds - 2 * 604_800
        let log = Set(try store.alertLog(since: since).map {
            AlertKey(rule: $0.rule, windowStart: $0.windowStart, group: $0.groupDictionary, band: $0.band)
        })
        // Streamed into LiveCounts, which keeps sums per profile and hour.
        let decisions = try live.withLock { live throws(StoreError) in
            try live.load(log: log, now: now) { (add: (BucketCount) -> Void) throws(StoreError) in
                try store.forEachBucket(hours: hours) { add(BucketCount($0)) }
            }
        }
        // A full pass reads every bucket of the open windows (after a flood,
        // 10⁵ rows); the small blocks that took would stay in the heap:
        // give them back to the system. Full passes
        // are rare (start, a new day or week, after a failure).
        Heap.trim()
        return decisions
    }

    /// The message content of a decision, or nil when its rule is gone
    /// (a reload removed it).
    func content(of decision: AlertDecision) -> AlertContent? {
        guard let rule = configuration.rules.first(where: { $0.name == decision.rule }) else { return nil }
        let zone = configuration.school.timeZone
        let window = decision.window
        var isoWeek: (year: Int, week: Int)?
        if window.kind == .week {
            let parts = window.label.split(separator: "-W")
            if parts.count == 2, let y = Int(parts[0]), let w = Int(parts[1]) { isoWeek = (y, w) }
        }
        let period = AlertContent.Period(kind: window.kind, first: DateText.Day(instant: window.start, zone: zone),
                                         last: DateText.Day(instant: window.end - 1, zone: zone), isoWeek: isoWeek)
        let group = rule.groupBy.map { dimension -> (dimension: VertrouwdCore.Dimension, value: String) in
            let value = decision.group[dimension.rawValue] ?? ""
            return (dimension, value == AlertGroup.unknown ? "" : value)
        }
        return AlertContent(id: Self.newID(), rule: rule, period: period, group: group,
                            atLeast: decision.atLeast, escalation: decision.escalation)
    }

    /// One outbox entry per recipient that receives alerts and per route.
    func messages(for content: AlertContent, now: Int64) -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        for recipient in configuration.recipients where recipient.receives.contains(.alerts) {
            let m = AlertMessage(content, taxonomy: configuration.taxonomy, schoolName: configuration.school.name,
                                 language: recipient.language, k: configuration.privacy.minGroupSize)
            for route in Self.routes(for: recipient, configuration.delivery) {
                entries.append(OutboxEntry(id: content.id, recipient: recipient.name, route: route, kind: "alert",
                                           createdAt: now, subject: m.subject, text: m.text, html: m.html, json: m.json))
            }
        }
        return entries
    }

    static func routes(for recipient: Recipient, _ delivery: DeliverySettings) -> [OutboxEntry.Route] {
        var routes: [OutboxEntry.Route] = []
        if recipient.email != nil, delivery.email.mode != .off { routes.append(.email) }
        if delivery.socketPath != nil { routes.append(.socket) }
        return routes
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
