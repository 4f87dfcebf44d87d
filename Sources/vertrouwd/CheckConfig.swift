// `vertrouwd check-config`: reads and checks a config file the way the
// daemon would, reports every problem at once, and says what it loaded.
// Exit status: 0 OK, 1 errors in the file, 2 the file cannot be read.
import ArgumentParser
import VertrouwdConfig

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a config file and report every error in it.",
        discussion: """
            Prints each problem as FILE:LINE:COL: error: message, with the line and a caret, \
            and exits 1 when there is any. On success prints a summary of what was loaded \
            and "configuration OK". Exits 2 when the file cannot be read.
            """
    )

    @OptionGroup var options: ConfigOption

    func run() throws {
        let (configuration, _) = try loadConfiguration(options.config)
        print(ConfigSummary.render(configuration), terminator: "")
        print("configuration OK")
    }
}
