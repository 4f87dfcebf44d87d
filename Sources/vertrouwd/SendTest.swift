// `vertrouwd send-test`: a clearly marked test message over every
// configured route, delivered at once (not through the outbox), with what
// happened per route. Exit status 0 when every route delivered, 1 if not.
import ArgumentParser
import Foundation
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdDelivery
import VertrouwdStore

struct SendTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test",
        abstract: "Send a test message over every configured route and report what happened."
    )

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let (configuration, _) = try loadConfiguration(options.config)
        let transports: [OutboxEntry.Route: any Transport]
        do {
            transports = try Transports.make(for: configuration, fileSystem: LocalConfigFileSystem())
        } catch {
            printError("vertrouwd: \(error)")
            throw ExitCode(2)
        }
        let now = Int64(Date().timeIntervalSince1970)
        var failures = 0
        for recipient in configuration.recipients {
            let nl = recipient.language == .nl
            let text = nl
                ? "Dit is een testbericht van vertrouwd (\(configuration.school.name)). Er is niets aan de hand: zo ziet u dat berichten aankomen.\n"
                : "This is a test message from vertrouwd (\(configuration.school.name)). Nothing has happened: it shows that messages arrive.\n"
            let id = AlertEvaluator.newID()
            let json = JSONWriter.render(.object([("type", .string("test")), ("version", .int(1)), ("id", .string(id)),
                                                  ("language", .string(recipient.language.rawValue)), ("text", .string(text))]))
            let message = OutgoingMessage(id: id, kind: .test, subject: nl ? "vertrouwd: testbericht" : "vertrouwd: test message",
                                          text: text, html: "<p>\(HTMLEscape.text(text))</p>", json: json, created: now)
            for (route, transport) in transports.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if route == .email && recipient.email == nil { continue }
                let result = await transport.deliver(message, to: recipient.email ?? "")
                let what: String
                switch result {
                case .delivered: what = "delivered"
                case .retry(let reason): what = "not delivered (temporary): \(reason)"; failures += 1
                case .permanent(let reason): what = "refused: \(reason)"; failures += 1
                }
                print("\(recipient.name) by \(route == .email ? "e-mail" : "socket"): \(what)")
            }
        }
        if transports.isEmpty {
            printError("vertrouwd: no route is configured")
            throw ExitCode(1)
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
