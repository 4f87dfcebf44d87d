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
import VertrouwdCore
import VertrouwdStore

public struct AlertEvaluator: Sendable {
    let configuration: Configuration
    let engine: RuleEngine
    let logger: Logger

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.engine = RuleEngine(rules: configuration.rules, taxonomy: configuration.taxonomy,
                                 minGroupSize: configuration.privacy.minGroupSize, zone: configuration.school.timeZone,
                                 maxAge: configuration.ingest.maxAge)
        self.logger = logger
    }

    /// Decides and records; returns how many alerts were new.
    func evaluate(store: SignalStore, now: Int64) throws(StoreError) -> Int {
        guard !configuration.rules.isEmpty else { return 0 }
        // The engine looks back over max_age and, for rise rules, one
        // closed week: two extra weeks of log cover every window it sees.
        let since = now - configuration.ingest.maxAge.seconds - 2 * 604_800
        let log = Set(try store.alertLog(since: since).map {
            AlertKey(rule: $0.rule, windowStart: $0.windowStart, group: $0.groupDictionary, band: $0.band)
        })
        let decisions: [AlertDecision]
        do {
            decisions = try engine.evaluate(now: now, log: log) { hours in
                try store.buckets(hours: hours).map {
                    BucketCount(hour: $0.hour, category: $0.category, site: $0.site, cohort: $0.cohort, channel: $0.channel,
                                severity: Severity(rawValue: $0.severity) ?? .medium, count: $0.count)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.other, "\(error)")
        }
        guard !decisions.isEmpty else { return 0 }
        let records = decisions.compactMap { decision -> (keys: [AlertLogKey], messages: [OutboxEntry])? in
            guard let content = content(of: decision) else { return nil }
            let keys = decision.logKeys.map { AlertLogKey(rule: $0.rule, windowStart: $0.windowStart, group: $0.group, band: $0.band) }
            return (keys, messages(for: content, now: now))
        }
        let added = try store.record(records, now: now)
        for key in added {
            logger.notice("alert: rule \(key.rule), window starting \(LocalDay.string(for: key.windowStart, in: configuration.school.timeZone)), at least \(key.band)",
                          metadata: ["event": "alert", "rule": "\(key.rule)", "band": "\(key.band)"])
        }
        return added.count
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
