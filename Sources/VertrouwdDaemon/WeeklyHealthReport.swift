// WeeklyHealthReport — IT's weekly health report (issue 15 §3, s7-health).
//
// When a week's summary is published, the recipients that receive
// "health" get the week's system facts: per route the messages delivered
// and given up, the routes failing now, what waits in the outbox and the
// spool, rejects by reason code, and on which days each watched source
// sent. `SummaryPublisher` puts these messages into the outbox in the same
// transaction as the summary, so a published week has its report exactly
// once, also across restarts and catch-up.
//
// Security stance: system facts only, read from the outbox and the daily
// health counters; no bucket, pupil count, accepted-signal count or
// rejected value reaches the report (`HealthReportFacts` holds none).
// Logs: nothing of its own; the publisher logs the week.
import Foundation
import VertrouwdCore
import VertrouwdStore

struct WeeklyHealthReport: Sendable {
    let configuration: Configuration

    var zone: TimeZone { configuration.school.timeZone }

    /// The recipients that receive "health".
    var recipients: [Recipient] { configuration.recipients.filter { $0.receives.contains(.health) } }

    /// The week's facts, read from the store at `now`.
    func facts(week: Window, store: some StateStore, backlog: Int, now: Int64) throws -> HealthReportFacts {
        var days: [(day: DateText.Day, counters: [String: [String: Int]])] = []
        // Noon of each local day lies inside it, also on a day of 23 or 25 hours.
        var instant = week.start + 43_200
        while instant < week.end {
            let day = DateText.Day(instant: instant, zone: zone)
            if days.last?.day != day { days.append((day, try store.health(day: day.iso))) }
            instant += 86_400
        }
        var f = HealthReportFacts(week: week.label, first: DateText.Day(instant: week.start, zone: zone),
                                  last: DateText.Day(instant: week.end - 1, zone: zone))
        f.count(days: days, sources: configuration.sources, silenceLimits: configuration.silenceLimits)
        for (route, counts) in try store.settledDeliveries(from: week.start, to: week.end) {
            f.routes[DeliveryRoute(rawValue: route.rawValue)!] = .init(delivered: counts.delivered, givenUp: counts.givenUp)
        }
        // The routes that recipients use are listed even when nothing went by them.
        for route in configuration.recipients.flatMap({ AlertEvaluator.routes(for: $0, configuration.delivery) }) {
            let r = DeliveryRoute(rawValue: route.rawValue)!
            if f.routes[r] == nil { f.routes[r] = .init() }
        }
        for (route, g) in try store.givenUpSinceLastDelivery() {
            f.failing[DeliveryRoute(rawValue: route.rawValue)!] = .init(count: g.count, reason: g.reason, since: g.since)
        }
        let pending = try store.pendingOutboxSummary()
        f.waiting = pending.count
        f.oldestWaiting = pending.oldest
        f.spoolBacklog = backlog
        return f
    }

    /// The report's outbox entries, one per health recipient and route,
    /// under a new id; none when no recipient receives "health".
    func entries(week: Window, store: some StateStore, backlog: Int, now: Int64) throws -> [OutboxEntry] {
        let recipients = self.recipients
        guard !recipients.isEmpty else { return [] }
        let facts = try facts(week: week, store: store, backlog: backlog, now: now)
        let id = AlertEvaluator.newID()
        var rendered: [Language: HealthReport] = [:]
        var entries: [OutboxEntry] = []
        for recipient in recipients {
            let m = rendered[recipient.language] ?? HealthReport(id: id, facts: facts, schoolName: configuration.school.name,
                                                                 language: recipient.language, zone: zone, now: now)
            rendered[recipient.language] = m
            for route in AlertEvaluator.routes(for: recipient, configuration.delivery) {
                entries.append(OutboxEntry(id: id, recipient: recipient.name, route: route, kind: "health", createdAt: now,
                                           subject: m.subject, text: m.text, html: m.html, json: m.json))
            }
        }
        return entries
    }
}
