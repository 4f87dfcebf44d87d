// SendTestRequest — the daemon's side of `vertrouwd send-test`: a clearly
// marked test message to every recipient by every route, sent at once
// through the daemon's own transports (not queued), and one answer line
// per recipient and route. Also the message `send-test` sends itself when
// no daemon answers.
//
// Logs: "control: send-test asked" (notice), and per route what happened
// (info), with the recipient's config name — never message content.
import Foundation
import Logging
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore

public enum SendTestRequest {
    /// The test message for one recipient, in its language.
    public static func message(for recipient: Recipient, schoolName: String, id: String, now: Int64) -> OutgoingMessage {
        let nl = recipient.language == .nl
        let text = nl
            ? "Dit is een testbericht van vertrouwd (\(schoolName)). Er is niets aan de hand: zo ziet u dat berichten aankomen.\n"
            : "This is a test message from vertrouwd (\(schoolName)). Nothing has happened: it shows that messages arrive.\n"
        let json = JSONWriter.render(.object([("type", .string("test")), ("version", .int(1)), ("id", .string(id)),
                                              ("language", .string(recipient.language.rawValue)), ("text", .string(text))]))
        return OutgoingMessage(id: id, kind: .test, subject: nl ? "vertrouwd: testbericht" : "vertrouwd: test message",
                               text: text, html: "<p>\(HTMLEscape.text(text))</p>", json: json, created: now)
    }

    /// Answers a control request: "send-test" sends the test message to
    /// every recipient of `configuration` by `delivery`'s routes.
    public static func answer(_ request: String, configuration: @Sendable () -> Configuration, delivery: DeliveryService,
                              logger: Logger) async -> [String] {
        guard request == "send-test" else { return ["err unknown_request"] }
        logger.notice("control: send-test asked", metadata: ["event": "send_test"])
        let c = configuration()
        let now = Int64(Date().timeIntervalSince1970)
        var lines: [String] = []
        for recipient in c.recipients {
            let message = message(for: recipient, schoolName: c.school.name, id: AlertEvaluator.newID(), now: now)
            for r in await delivery.sendNow(message, to: [recipient]) {
                logger.info("send-test: \(r.recipient) by \(r.route.rawValue): \(r.outcome)", metadata: ["event": "send_test_result"])
                lines.append(line(r))
            }
        }
        return lines + ["ok"]
    }

    /// "route", recipient, route, outcome and reason, separated by tabs (a
    /// recipient's name has no control characters); the reason on one line.
    static func line(_ r: DirectResult) -> String {
        let reason = r.reason.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
        return ["route", r.recipient, r.route.rawValue, r.outcome, reason].joined(separator: "\t")
    }

    /// One answer line read back: nil for "ok", "err …" or anything else.
    public static func parse(_ line: String) -> DirectResult? {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard f.count == 5, f[0] == "route", let route = OutboxEntry.Route(rawValue: f[2]) else { return nil }
        return DirectResult(recipient: f[1], route: route, outcome: f[3], reason: f[4])
    }
}
