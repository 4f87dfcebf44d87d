// SummaryPublisher — publishes the summaries that are due (DESIGN §8):
// the closed ISO week at summary.schedule, and weeks missed during
// downtime, up to summary.catch_up_weeks. A published week is frozen (P7):
// stored with its renderings in every language, never revised; its
// messages go into the outbox in the same transaction.
import Foundation
import Logging
import VertrouwdCore
import VertrouwdSpool
import VertrouwdStore

public struct SummaryPublisher: Sendable {
    let configuration: Configuration
    let builder: SummaryBuilder
    let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.builder = SummaryBuilder(configuration: configuration)
        self.logger = logger
    }

    var zone: TimeZone { configuration.school.timeZone }

    /// What a summary check did, and when the next one is due.
    public struct Outcome: Sendable, Equatable {
        /// Weeks published by this check.
        public var published: Int
        /// When to check next (`SummarySchedule.nextCheck`).
        public var nextCheck: Int64
    }

    /// The weeks whose summaries are due at `now` and not yet published.
    public func dueWeeks(store: some StateStore, now: Int64) throws -> [Window] {
        let last = try store.lastPublishedWeekStart().map { Window.containing($0, kind: .week, in: zone) }
        return SummarySchedule.weeksToPublish(now: now, schedule: configuration.summary.schedule, zone: zone, lastPublished: last,
                                              catchUpWeeks: configuration.summary.catchUpWeeks, createdAt: try store.createdAt())
    }

    /// Publishes every due week, and works out when the next check is due.
    public func publishDue(store: some StateStore, now: Int64, backlog: Int) throws -> Outcome {
        let schedule = configuration.summary.schedule
        let last = try store.lastPublishedWeekStart().map { Window.containing($0, kind: .week, in: zone) }
        let since = try store.createdAt()
        let due = try dueWeeks(store: store, now: now)
        var published = 0
        var newest = last
        for week in due {
            let id = AlertEvaluator.newID()
            let decided = try decide(week: week, store: store, id: id)
            let envelope = render(decided.content, week: week)
            var messages = configuration.recipients.filter { $0.receives.contains(.summaries) }.flatMap { recipient in
                let r = envelope.renderings[recipient.language]!
                return AlertEvaluator.routes(for: recipient, configuration.delivery).map {
                    OutboxEntry(id: id, recipient: recipient.name, route: $0, kind: "summary", createdAt: now,
                                subject: r.subject, text: r.text, html: r.html, json: r.json)
                }
            }
            // The rise alerts decided from this summary leave with it, in
            // the same transaction (`PublishedRise`).
            for decision in decided.rises {
                guard let alert = AlertDispatch.content(of: decision, rules: configuration.rules, zone: zone, id: AlertEvaluator.newID())
                else { continue }
                messages += AlertDispatch.messages(for: alert, configuration: configuration).map {
                    OutboxEntry($0, id: alert.id, kind: "alert", createdAt: now)
                }
            }
            let keys = decided.rises.flatMap(\.logKeys).map {
                AlertLogKey(rule: $0.rule, windowStart: $0.windowStart, group: $0.group, band: $0.band)
            }
            // s7-health: IT's weekly health report, in the same transaction
            // (issue 15 §3: health left the summary for IT's messages).
            messages += try WeeklyHealthReport(configuration: configuration).entries(week: week, store: store, backlog: backlog, now: now)
            if try store.publish(week: week.label, windowStart: week.start, json: envelope.frozen, messages: messages,
                                 alertKeys: keys, definitions: RuleDefinition.byName(configuration.rules), now: now) {
                published += 1
                logger.notice("weekly summary \(week.label) published", metadata: ["event": "summary", "week": "\(week.label)"])
                for decision in decided.rises {
                    logger.notice("alert: rule \(decision.rule), window starting \(LocalDay.string(for: decision.window.start, in: zone)), at least \(decision.atLeast)",
                                  metadata: ["event": "alert", "rule": "\(decision.rule)", "band": "\(decision.atLeast)"])
                }
            }
            // Published now or before (by another process): done either way.
            newest = week
        }
        let next = SummarySchedule.nextCheck(after: now, schedule: schedule, zone: zone, lastPublished: newest, createdAt: since)
        return Outcome(published: published, nextCheck: next)
    }

    public struct Rendering: Sendable, Hashable {
        public var subject: String
        public var text: String
        public var html: String
        public var json: String
    }

    /// A week rendered in every language, and the frozen form stored.
    public struct Envelope: Sendable {
        public var renderings: [Language: Rendering]
        public var frozen: String
    }

    /// A week's summary content, with the rise alerts decided from its
    /// published tables listed in it (`PublishedRise`).
    func decide(week: Window, store: some StateStore, id: String) throws -> (content: SummaryContent, rises: [AlertDecision]) {
        var content = try builder.content(week: week, store: store, id: id)
        let rises = try builder.riseDecisions(week: week, tables: content.tables, store: store)
        if !rises.isEmpty {
            content.alerts = (content.alerts + builder.riseLines(rises)).sorted {
                ($0.window, $0.rule, $0.group.encoded) < ($1.window, $1.rule, $1.group.encoded)
            }
        }
        return (content, rises)
    }

    /// A week rendered as it would be published now (`vertrouwd summary`'s preview).
    public func render(week: Window, store: some StateStore, id: String) throws -> Envelope {
        render(try decide(week: week, store: store, id: id).content, week: week)
    }

    func render(_ content: SummaryContent, week: Window) -> Envelope {
        var renderings: [Language: Rendering] = [:]
        var fields: [(String, JSONWriter.Value)] = []
        for language in Language.allCases {
            let m = SummaryMessage(content, taxonomy: configuration.taxonomy, schoolName: configuration.school.name,
                                   language: language, k: configuration.privacy.minGroupSize, advice: configuration.advice)
            let r = Rendering(subject: m.subject, text: m.text, html: m.html, json: m.json)
            renderings[language] = r
            fields.append((language.rawValue, .object([("subject", .string(r.subject)), ("text", .string(r.text)),
                                                       ("html", .string(r.html)), ("json", .string(r.json))])))
        }
        let frozen = JSONWriter.render(.object([
            ("week", .string(week.label)), ("total", .string(content.tables.first?.total ?? "")),
            ("renderings", .object(fields)),
        ]))
        return Envelope(renderings: renderings, frozen: frozen)
    }

    /// A frozen week's rendering, for `vertrouwd summary`.
    public static func frozenRendering(_ frozen: String, language: Language) -> Rendering? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(frozen.utf8)) as? [String: Any],
              let all = object["renderings"] as? [String: [String: String]],
              let r = all[language.rawValue], let subject = r["subject"], let text = r["text"],
              let html = r["html"], let json = r["json"] else { return nil }
        return Rendering(subject: subject, text: text, html: html, json: json)
    }
}
