// vertrouwd — the command line. Each subcommand is a thin shell over the
// library modules: checks in validate(), work in run().
import ArgumentParser
import VertrouwdStore

@main
struct Vertrouwd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vertrouwd",
        abstract: "Aggregated, anonymous alerts about online sexual exploitation, for school networks.",
        discussion: """
            vertrouwd counts anonymised signals that programs on the school network drop into \
            its spool and sends k-anonymous alerts and weekly summaries to the school's trust \
            contact. It cannot single out a pupil: see README.md.
            """,
        version: VertrouwdVersion.current,
        subcommands: [Run.self, CheckConfig.self, Submit.self, Listen.self, SendTest.self, SummaryCommand.self, ReplayCommand.self,
                      Backup.self, HelpPageCommand.self, Adapt.self, ReportCommand.self]
    )

    static func main() async {
        SignalStore.prepareSQLite()
        await main(nil)
    }
}

/// Options every command that reads the config shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String = "/etc/vertrouwd/vertrouwd.toml"
}

enum VertrouwdVersion {
    static let current = "0.1.0"
}
