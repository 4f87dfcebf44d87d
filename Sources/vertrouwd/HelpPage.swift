// `vertrouwd helppage`: the pupils' anonymous help page, an HTTP server
// on [helppage] listen (loopback by default) for the school portal's
// reverse proxy to pass on.
//
// Security stance: it reads the config and writes only into the spool
// (tmp/, then new/), exactly as `vertrouwd submit` does. It keeps no
// state on disk; the client address is used in memory only, as a salted
// key for the rate limiter. Under systemd (Type=notify) it reports
// READY=1 once it listens; SIGTERM and SIGINT stop it (exit 0).
//
// Logs: its start (the address it listens on), and failures to write to
// the spool. Never a request, an address, a cookie or a choice.
import ArgumentParser
import Foundation
import Logging
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdHelpPage
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

struct HelpPageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helppage",
        abstract: "Serve the pupils' anonymous help page.",
        discussion: """
            Serves the help page of [helppage] on its listen address (default 127.0.0.1:8080): \
            advice and where to get help, in Dutch and English, and an optional anonymous \
            report that becomes one signal of the source "helppage" in the spool. Stops on \
            SIGTERM or SIGINT (exit status 0).
            """
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: ArgumentHelp("Least important level to log: debug, info, notice, warning or error.", valueName: "level"))
    var logLevel: LogLevelOption = .info

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let (configuration, _) = try loadConfiguration(options.config)
        guard let settings = configuration.helpPage else {
            printError("vertrouwd: \(options.config) has no [helppage] section: there is no help page to serve")
            throw ExitCode(1)
        }
        let spool = configuration.spool.path
        for directory in ["tmp", "new"] where access(spool + "/" + directory, W_OK | X_OK) != 0 {
            printError("vertrouwd: cannot write to the spool (\(spool)/\(directory)): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        logLevel.bootstrapLogging()
        let logger = Logger(label: "vertrouwd.helppage")
        let page = HelpPage(configuration: configuration, sink: SpoolSink(path: spool),
                            now: { Date().timeIntervalSince1970 }, logger: logger)
        let notifier = SystemdNotifier()
        let app = HelpPageServer.application(page: page, settings: settings, logger: logger) { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            logger.notice("help page listening on http://\(shown):\(port)/", metadata: ["event": "listening"])
            notifier.notify([.ready, .status("serving the help page")])
        }
        try await app.runService()
        notifier.notify([.stopping])
        logger.info("help page stopped", metadata: ["event": "exit"])
    }
}
