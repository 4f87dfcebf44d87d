// `vertrouwd run`: the daemon in the foreground (as systemd runs it).
//
// Counts the signals producers drop into the spool. SIGTERM and SIGINT
// finish the batch in hand and exit 0. Logs go to standard error: with
// "<N>" priority prefixes when journald reads them (JOURNAL_STREAM set) or
// standard error is not a terminal, plain otherwise.
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VertrouwdCore
import VertrouwdDaemon

#if canImport(Glibc)
import Glibc
#endif

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground.",
        discussion: "Stops after the batch in hand on SIGTERM or SIGINT (exit status 0)."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: ArgumentHelp("Least important level to log: debug, info, notice, warning or error.", valueName: "level"))
    var logLevel: LogLevelOption = .info

    func run() async throws {
        let (configuration, _) = try loadConfiguration(options.config)
        let prefixed = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil || isatty(STDERR_FILENO) == 0
        let level = logLevel.level
        LoggingSystem.bootstrap { label in
            var handler = StderrLogHandler(label: label, prefixed: prefixed)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vertrouwd")
        logger.info("vertrouwd \(VertrouwdVersion.current) starting: spool \(configuration.spool.path), state \(configuration.state.path)",
                    metadata: ["event": "starting"])
        let loop = IngestLoop(configuration: configuration, logger: logger, onEvent: { event in
            switch event {
            case .ready: logger.info("ready: watching the spool", metadata: ["event": "ready"])
            case .degraded, .resumed, .idle: break
            }
        })
        let group = ServiceGroup(configuration: .init(
            services: [IngestService(loop: loop)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("vertrouwd stopped", metadata: ["event": "exit"])
    }
}

enum LogLevelOption: String, ExpressibleByArgument, CaseIterable {
    case debug, info, notice, warning, error

    var level: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        }
    }
}
