// `vertrouwd replay`: what the current config and a candidate would have
// alerted over the stored history — the check before changing a
// threshold. Reads the state database only; sends nothing. Neither config
// may have a smaller privacy.min_group_size than the live one (KFloor).
import ArgumentParser
import Foundation
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdStore

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Compare the alerts of the current config and a candidate over the stored history.",
        discussion: "Both configs are evaluated day by day over the stored hourly counts; nothing is sent or written."
    )

    @OptionGroup var options: ConfigOption
    @OptionGroup var live: LiveConfigOption

    @Option(name: .long, help: ArgumentHelp("The config to compare with.", valueName: "path"))
    var candidate: String

    @Option(name: .long, help: ArgumentHelp("First day, YYYY-MM-DD (default: 8 weeks ago).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day, YYYY-MM-DD (default: today).", valueName: "date"))
    var to: String?

    func run() throws {
        let (current, _) = try loadConfiguration(options.config)
        let (other, _) = try loadConfiguration(candidate)
        let floor = try KFloor(live, config: current, configPath: options.config)
        try floor.require(current, usedAs: "--config", command: "replay")
        try floor.require(other, usedAs: "--candidate", command: "replay")
        let zone = current.school.timeZone
        let now = Int64(Date().timeIntervalSince1970)
        func day(_ text: String?, _ name: String) throws -> Window? {
            guard let text else { return nil }
            guard let w = Window.day(label: text, in: zone) else { throw ValidationError("--\(name) must be a date like 2026-11-29") }
            return w
        }
        let first = try day(from, "from")?.start ?? now - 8 * 604_800
        let last = try day(to, "to").map { $0.end - 1 } ?? now
        guard first <= last else { throw ValidationError("--from must not be after --to") }
        let store = try openStateStore(current, missing: "; nothing to replay")
        let history = try Replay.History(store: store, configurations: [current, other], from: first, to: last)
        let a = try Replay.alerts(of: current, history: history, from: first, to: last)
        let b = try Replay.alerts(of: other, history: history, from: first, to: last)
        print("replay \(LocalDay.string(for: first, in: zone)) to \(LocalDay.string(for: last, in: zone))")
        print(ReplayReport.render(current: a, candidate: b, currentRules: current.rules, candidateRules: other.rules), terminator: "")
    }
}
