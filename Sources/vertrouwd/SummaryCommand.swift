// `vertrouwd summary`: the weekly summary of a closed week, as the trust
// contact receives it, without sending it. A published week prints from
// its frozen form (byte-identical every time, P7); a closed week that is
// not published yet is rendered as a preview, never with a smaller
// privacy.min_group_size than the live config's (KFloor).
import ArgumentParser
import Foundation
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdStore

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print the weekly summary of a closed ISO week without sending it."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, html, json }

    @OptionGroup var options: ConfigOption
    @OptionGroup var live: LiveConfigOption

    @Option(name: .long, help: ArgumentHelp("The ISO week, such as 2026-W48.", valueName: "week"))
    var week: String

    @Option(name: .long, help: "text, html or json.")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("nl or en (default: the school's language).", valueName: "language"))
    var language: String?

    func validate() throws {
        if let language, Language(rawValue: language) == nil { throw ValidationError("--language must be nl or en") }
    }

    func run() throws {
        let (configuration, _) = try loadConfiguration(options.config)
        let zone = configuration.school.timeZone
        guard let window = Window.week(label: week, in: zone) else {
            throw ValidationError("--week must be an ISO week such as 2026-W48")
        }
        guard window.end <= Int64(Date().timeIntervalSince1970) else {
            printError("vertrouwd: \(week) has not closed yet; a summary covers a whole week")
            throw ExitCode(1)
        }
        let store = try openStateStore(configuration)
        let lang = language.flatMap(Language.init(rawValue:)) ?? configuration.school.language
        let rendering: SummaryPublisher.Rendering
        if let frozen = try store.publishedSummary(week: window.label) {
            guard let r = SummaryPublisher.frozenRendering(frozen, language: lang) else {
                printError("vertrouwd: the stored summary of \(week) cannot be read")
                throw ExitCode(2)
            }
            rendering = r
        } else {
            try KFloor(live, config: configuration, configPath: options.config)
                .require(configuration, usedAs: "--config", command: "the summary preview")
            if window.end <= (try store.createdAt()) {
                // The daemon sends no summary of a week that ended before its
                // state database existed (SummarySchedule): say so.
                printError("vertrouwd: \(week) ended before this state database was made, so no summary of it is sent; this is a preview of what it would have said")
            } else {
                printError("vertrouwd: \(week) is not published yet; this is a preview of what would be sent")
            }
            let publisher = SummaryPublisher(configuration: configuration, logger: .init(label: "vertrouwd"))
            let envelope = try publisher.render(week: window, store: store, id: "preview")
            rendering = envelope.renderings[lang]!
        }
        switch format {
        case .text: print(rendering.text, terminator: "")
        case .html: print(rendering.html, terminator: "")
        case .json: print(rendering.json)
        }
    }
}
