// `vertrouwd check-config`: reads and checks a config file the way the
// daemon would, reports every problem at once, and says what it loaded.
// Exit status: 0 OK, 1 errors in the file, 2 the file cannot be read.
import ArgumentParser
import VertrouwdConfig
import VertrouwdDaemon

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
        // [[adapter]] domain lists (issue 14): validated here, FILE:LINE:COL.
        var listErrors = 0
        for adapter in configuration.adapters {
            let lists = loadDomainLists(adapter, taxonomy: configuration.taxonomy, fileSystem: LocalConfigFileSystem())
            printError(lists.report, terminator: "")
            listErrors += lists.errorCount
            print(adapterSummary(adapter, lists, statePath: adapter.stateFile(beside: configuration.state.path)), terminator: "")
        }
        if listErrors > 0 {
            printError("\(listErrors) error\(listErrors == 1 ? "" : "s") in the domain lists")
            throw ExitCode(1)
        }
        print("configuration OK")
    }
}
