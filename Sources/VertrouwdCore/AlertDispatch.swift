import Foundation

/// How a message reaches a recipient (DESIGN §7).
public enum DeliveryRoute: String, CaseIterable, Hashable, Sendable {
    case email, socket
}

/// One rendered message for one recipient over one route: what the outbox
/// stores, before it is stored.
public struct RoutedMessage: Hashable, Sendable {
    public var recipient: String
    public var route: DeliveryRoute
    public var subject: String
    public var text: String
    public var html: String
    public var json: String

    public init(recipient: String, route: DeliveryRoute, subject: String, text: String, html: String, json: String) {
        self.recipient = recipient
        self.route = route
        self.subject = subject
        self.text = text
        self.html = html
        self.json = json
    }
}

/// What an alert decision says and to whom it goes (DESIGN §5, §7). Pure:
/// the caller gives the message id and stores what comes back.
public enum AlertDispatch {
    /// The message content of a decision, or nil when its rule is not in
    /// `rules` (a reload removed it).
    ///
    /// The group is shown in the rule's `group_by` order, an unknown value
    /// as "" (the renderer words it: "site unknown").
    public static func content(of decision: AlertDecision, rules: [Rule], zone: TimeZone, id: String) -> AlertContent? {
        guard let rule = rules.first(where: { $0.name == decision.rule }) else { return nil }
        let window = decision.window
        var isoWeek: (year: Int, week: Int)?
        if window.kind == .week {
            let parts = window.label.split(separator: "-W")
            if parts.count == 2, let y = Int(parts[0]), let w = Int(parts[1]) { isoWeek = (y, w) }
        }
        let period = AlertContent.Period(kind: window.kind, first: DateText.Day(instant: window.start, zone: zone),
                                         last: DateText.Day(instant: window.end - 1, zone: zone), isoWeek: isoWeek)
        let group = rule.groupBy.map { dimension -> (dimension: Dimension, value: String) in
            (dimension, decision.group[dimension]?.rowText ?? "")
        }
        return AlertContent(id: id, rule: rule, period: period, group: group,
                            atLeast: decision.atLeast, escalation: decision.escalation)
    }

    /// One message per recipient that receives alerts and per route, each
    /// in the recipient's language, in config order. The HTML is rendered
    /// only for a recipient with an e-mail route ("" otherwise): the socket
    /// sends the JSON line alone (`OutboxEntry` stores no more for it).
    public static func messages(for content: AlertContent, configuration: Configuration) -> [RoutedMessage] {
        var messages: [RoutedMessage] = []
        for recipient in configuration.recipients where recipient.receives.contains(.alerts) {
            let routes = routes(for: recipient, configuration.delivery)
            if routes.isEmpty { continue }
            let m = AlertMessage(content, taxonomy: configuration.taxonomy, schoolName: configuration.school.name,
                                 language: recipient.language, k: configuration.privacy.minGroupSize,
                                 advice: configuration.advice)
            let r = m.rendered(html: routes.contains(.email))
            for route in routes {
                messages.append(RoutedMessage(recipient: recipient.name, route: route, subject: r.subject,
                                              text: r.text, html: r.html, json: r.json))
            }
        }
        return messages
    }

    /// The routes to a recipient: e-mail when it has an address and e-mail
    /// is on, the socket when one is configured (it carries every
    /// recipient's messages, addressed or not).
    public static func routes(for recipient: Recipient, _ delivery: DeliverySettings) -> [DeliveryRoute] {
        var routes: [DeliveryRoute] = []
        if recipient.email != nil, delivery.email.mode != .off { routes.append(.email) }
        if delivery.socketPath != nil { routes.append(.socket) }
        return routes
    }
}
