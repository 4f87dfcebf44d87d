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

    /// Publishes every due week, and works out when the next check is due.
    public func publishDue(store: some StateStore, now: Int64, backlog: Int) throws -> Outcome {
        let schedule = configuration.summary.schedule
        let last = try store.lastPublishedWeekStart().map { Window.containing($0, kind: .week, in: zone) }
        let since = try store.createdAt()
        let due = SummarySchedule.weeksToPublish(now: now, schedule: schedule, zone: zone, lastPublished: last,
                                                 catchUpWeeks: configuration.summary.catchUpWeeks, createdAt: since)
        var published = 0
        var newest = last
        for week in due {
            let id = AlertEvaluator.newID()
            let envelope = try render(week: week, store: store, backlog: backlog, id: id)
            let messages = configuration.recipients.filter { $0.receives.contains(.summaries) }.flatMap { recipient in
                let r = envelope.renderings[recipient.language]!
                return AlertEvaluator.routes(for: recipient, configuration.delivery).map {
                    OutboxEntry(id: id, recipient: recipient.name, route: $0, kind: "summary", createdAt: now,
                                subject: r.subject, text: r.text, html: r.html, json: r.json)
                }
            }
            // s7-health: IT's weekly health report, in the same transaction
            // (issue 15 §3: health left the summary for IT's messages).
            let report = try WeeklyHealthReport(configuration: configuration).entries(week: week, store: store, backlog: backlog, now: now)
            if try store.publish(week: week.label, windowStart: week.start, json: envelope.frozen, messages: messages + report, now: now) {
                published += 1
                logger.notice("weekly summary \(week.label) published", metadata: ["event": "summary", "week": "\(week.label)"])
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

    public func render(week: Window, store: some StateStore, backlog: Int, id: String) throws -> Envelope {
        let content = try builder.content(week: week, store: store, backlog: backlog, id: id)
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
