import Foundation
import Testing
import VertrouwdCore

/// What an alert says and where it goes (`AlertDispatch`).
@Suite("Alert dispatch")
struct AlertDispatchTests {
    static let zone = TimeZone(identifier: "Europe/Amsterdam")!

    static func configuration(recipients: [Recipient], email: EmailSettings.Mode = .smtp, socket: String? = nil) -> Configuration {
        var c = Configuration(school: SchoolSettings(name: "Voorbeeldcollege", timeZone: zone), taxonomy: messageTaxonomy,
                              sources: ["webfilter"], rules: AlertSamples.cases.map(\.content.rule), recipients: recipients)
        c.delivery.email.mode = email
        c.delivery.socketPath = socket
        return c
    }

    static let modes = EmailSettings.Mode.allCases
    static let combinations: [(hasAddress: Bool, mode: EmailSettings.Mode, socket: Bool)] =
        [true, false].flatMap { a in modes.flatMap { m in [true, false].map { (a, m, $0) } } }

    /// Every combination of address, e-mail mode and socket: e-mail only
    /// with an address and e-mail on, the socket whenever one is set, e-mail
    /// first.
    @Test(arguments: 0..<combinations.count)
    func routesForEachRecipientAndRoute(index: Int) {
        let (hasAddress, mode, socket) = Self.combinations[index]
        var delivery = DeliverySettings()
        delivery.email.mode = mode
        delivery.socketPath = socket ? "/run/vertrouwd/alerts.sock" : nil
        let recipient = Recipient(name: "vp", email: hasAddress ? "vp@school.example" : nil, language: .nl, receives: [.alerts])
        var expected: [DeliveryRoute] = []
        if hasAddress && mode != .off { expected.append(.email) }
        if socket { expected.append(.socket) }
        #expect(AlertDispatch.routes(for: recipient, delivery) == expected, "\(hasAddress) \(mode) \(socket)")
        #expect(delivery.hasRoute(for: recipient) == !expected.isEmpty)
    }

    /// One message per alert recipient and route, in config order and the
    /// recipient's language; summary-only recipients get none.
    @Test func messagesGoToAlertRecipientsOverTheirRoutes() throws {
        let recipients = [
            Recipient(name: "vp", email: "vp@school.example", language: .nl, receives: [.alerts, .summaries]),
            Recipient(name: "directie", email: "directie@school.example", language: .en, receives: [.summaries]),
            Recipient(name: "zorg", email: nil, language: .en, receives: [.alerts]),
        ]
        let content = AlertSamples.cases[0].content
        let config = Self.configuration(recipients: recipients, socket: "/run/vertrouwd/alerts.sock")
        let messages = AlertDispatch.messages(for: content, configuration: config)
        #expect(messages.map(\.recipient) == ["vp", "vp", "zorg"])
        #expect(messages.map(\.route) == [.email, .socket, .socket])
        let nl = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege", language: .nl, k: 5)
        let en = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege", language: .en, k: 5)
        #expect(messages[0] == RoutedMessage(recipient: "vp", route: .email, subject: nl.subject, text: nl.text, html: nl.html, json: nl.json))
        #expect(messages[1] == RoutedMessage(recipient: "vp", route: .socket, subject: nl.subject, text: nl.text, html: nl.html, json: nl.json))
        // Nothing sends HTML to a recipient without e-mail: none is rendered.
        #expect(messages[2] == RoutedMessage(recipient: "zorg", route: .socket, subject: en.subject, text: en.text, html: "", json: en.json))
        let withoutHTML = en.rendered(html: false)
        #expect(withoutHTML.html.isEmpty && withoutHTML.text == en.text && withoutHTML.json == en.json && withoutHTML.subject == en.subject)
        // E-mail off and no socket: nothing to send to anyone.
        #expect(AlertDispatch.messages(for: content, configuration: Self.configuration(recipients: recipients, email: .off)).isEmpty)
    }

    /// A decision becomes the content the golden files were rendered from:
    /// the rendered message stays byte-identical.
    static let decisionCases: [(Int, Window, GroupKey)] = [
        (0, Window.day(label: "2026-11-29", in: zone)!, [.site: "hoofdgebouw", .channel: "instagram"]),
        (1, Window.week(label: "2026-W48", in: zone)!, [.cohortGroup: "bovenbouw"]),
        (2, Window.week(label: "2026-W48", in: zone)!, .wholeSchool),
        (3, Window.day(label: "2026-11-29", in: zone)!, [.site: .unknown]),
    ]

    @Test(arguments: decisionCases)
    func contentOfADecisionRendersAsItsGoldenFile(sample: Int, window: Window, group: GroupKey) throws {
        let (name, expected) = AlertSamples.cases[sample]
        let rule = expected.rule
        let decision = AlertDecision(rule: rule.name, window: window, group: group, atLeast: expected.atLeast,
                                     escalation: expected.escalation, severity: rule.severity, logKeys: [])
        let rules = Self.configuration(recipients: []).rules
        let content = try #require(AlertDispatch.content(of: decision, rules: rules, zone: Self.zone, id: expected.id))
        #expect(content == expected)
        for language in Language.allCases {
            let message = AlertMessage(content, taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege", language: language, k: 5)
            let golden = AlertMessageTests.golden.appendingPathComponent("\(name).\(language.rawValue).txt")
            #expect(message.text == (try String(contentsOf: golden, encoding: .utf8)), "\(name).\(language.rawValue)")
        }
    }

    /// The group follows the rule's group_by order, not the key's; a
    /// decision of a rule a reload removed has no content.
    @Test func groupInRuleOrderAndRemovedRulesSendNothing() throws {
        let rule = Rule(name: "r", kind: .threshold(window: .day), match: [CategoryPattern("grooming")],
                        minCount: 5, groupBy: [.site, .channel, .category], severity: .low)
        let decision = AlertDecision(rule: "r", window: Window.day(label: "2026-11-29", in: Self.zone)!,
                                     group: [.category: "grooming", .channel: .unknown, .site: "dependance"],
                                     atLeast: 5, escalation: false, severity: .low, logKeys: [])
        let content = try #require(AlertDispatch.content(of: decision, rules: [rule], zone: Self.zone, id: "x"))
        #expect(content.group.map(\.dimension) == [.site, .channel, .category])
        #expect(content.group.map(\.value) == ["dependance", "", "grooming"])
        #expect(content.period.isoWeek == nil && content.period.first == content.period.last)
        #expect(AlertDispatch.content(of: decision, rules: [], zone: Self.zone, id: "x") == nil)
    }
}
