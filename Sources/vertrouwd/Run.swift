// `vertrouwd run`: the daemon in the foreground (as systemd runs it).
//
// Counts the signals producers drop into the spool, decides alerts and
// delivers them. SIGTERM and SIGINT finish the batch in hand and exit 0.
// Under systemd (Type=notify) it reports READY=1 once the store is open and
// the spool watched, STATUS= lines, WATCHDOG=1 from the working loop, and
// STOPPING=1. Logs go to the journal with structured fields when standard
// error is the journal stream, else to standard error with "<N>" priority
// prefixes (plain on a terminal).
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdSystemd
import VertrouwdStore
import VertrouwdDelivery

#if canImport(Glibc)
import Glibc
#endif

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground.",
        discussion: "Stops after the batch in hand on SIGTERM or SIGINT (exit status 0). Exits with status 78 when the state database was written by a newer version."
    )

    @OptionGroup var options: ConfigOption

    /// Exit status when the state database was written by a newer
    /// vertrouwd: EX_CONFIG. vertrouwd.service names it in
    /// RestartPreventExitStatus=, so systemd does not restart in a loop.
    static let exitNewerSchema: Int32 = 78

    @Option(name: .long, help: ArgumentHelp("Least important level to log: debug, info, notice, warning or error.", valueName: "level"))
    var logLevel: LogLevelOption = .info

    func run() async throws {
        // A fixed mmap threshold: the ingest loop's batch arrays (MiBs,
        // freed after each commit) then come from mmap and go back to the
        // system, where glibc's sliding threshold would move them into the
        // heap to stay. Peak RSS on a 1,000,000-signal backlog: 101 MiB
        // without, 84 MiB with (Benchmarks/RESULTS.md).
        Heap.fixMmapThreshold(256 * 1024)
        // A peer that hangs up before reading its answer (a producer on the
        // submit socket, a receiver) must cost a failed write, EPIPE, not the
        // daemon: SIGPIPE's default action would end the process. Children
        // (the sendmail route) get the default back (ChildProcess).
        signal(SIGPIPE, SIG_IGN)
        let (configuration, _) = try loadConfiguration(options.config)
        logLevel.bootstrapLogging()
        let logger = Logger(label: "vertrouwd")
        logger.info("vertrouwd \(VertrouwdVersion.current) starting: spool \(configuration.spool.path), state \(configuration.state.path)",
                    metadata: ["event": "starting"])
        let notifier = SystemdNotifier()
        let watchdog = Watchdog.interval()
        let path = options.config
        // SIGHUP is trapped first, before anything else starts.
        let reloadBox = ReloadTarget()
        let reload = await ReloadService(
            load: { ConfigLoader(fileSystem: LocalConfigFileSystem()).load(path: path) },
            apply: { reloadBox.apply($0) },
            notify: { reloading, status in
                notifier.notify(reloading ? [.reloading, .status(status)] : [.ready, .status(status)])
            },
            logger: logger)
        let doorbell = Doorbell()
        let transports: [OutboxEntry.Route: any Transport]
        do {
            transports = try Transports.make(for: configuration, fileSystem: LocalConfigFileSystem())
        } catch {
            logger.critical("cannot set up delivery: \(error)", metadata: ["event": "delivery_setup_failed"])
            throw ExitCode(2)
        }
        // One store for the whole daemon; a changed state.path takes effect
        // at the next start.
        let shared = SharedStore(path: configuration.state.path, clock: { Int64(Date().timeIntervalSince1970) })
        // A store this version cannot use stops the daemon: no retry helps.
        // Any other failure to open is the ingest loop's to report and retry.
        do {
            _ = try shared.get()
        } catch where error.isPermanent {
            throw Self.stop(unusable: error, logger: logger)
        } catch {}
        let delivery = DeliveryService(openStore: { try shared.get() }, configuration: configuration,
                                       transports: transports, doorbell: doorbell, logger: logger)
        reloadBox.set { new in
            do {
                delivery.reload(new, transports: try Transports.make(for: new, fileSystem: LocalConfigFileSystem()))
            } catch {
                logger.error("reload: cannot set up delivery (\(error)); messages keep going by the previous routes",
                             metadata: ["event": "reload_delivery_failed"])
            }
        }
        // s6-health: health messages for IT and the STATUS line's outbox part.
        let health = HealthService(configuration: configuration, openStore: { try shared.get() }, delivery: delivery,
                                   outboxBell: doorbell, logger: logger, onStatus: { notifier.notify([.status($0)]) })
        reloadBox.set { health.reload($0) }
        let makeLoop: @Sendable (Configuration) -> IngestLoop = { configuration in
            IngestLoop(configuration: configuration, logger: logger, openStore: { try shared.get() }, onEvent: { event in
                defer { health.ingest(event) }
                switch event {
                case .ready:
                    logger.info("ready: watching the spool", metadata: ["event": "ready"])
                    notifier.notify([.ready, .status("watching the spool")])
                case .degraded(let reason):
                    notifier.notify([.status("degraded: \(reason)")])
                case .resumed:
                    notifier.notify([.status("watching the spool (resumed)")])
                case .idle:
                    break
                }
            }, onOutbox: { doorbell.ring() }, aliveEvery: watchdog.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 },
               onAlive: { notifier.notify([.watchdog]) })
        }
        let ingest = IngestService(configuration: configuration, makeLoop: makeLoop,
                                   onShutdown: { notifier.notify([.stopping, .status("stopping")]) })
        reloadBox.set { ingest.reload($0) }
        // The ingest loop and delivery end only on a store that became
        // unusable while running (a newer schema): the others stop
        // gracefully, then the daemon exits as it would at start-up.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: ingest, failureTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: delivery, failureTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: reload),
            .init(service: health),
        ]
        // The submit socket: from systemd when socket-activated, else bound
        // from submit.socket, else none.
        var listeners = ListenedSockets.take()
        if listeners.isEmpty, let socketPath = configuration.submit.socketPath {
            do {
                listeners = [try SubmitSocket.bind(path: socketPath)]
            } catch {
                logger.error("submit socket: \(error); producers can still use the spool", metadata: ["event": "submit_socket_failed"])
            }
        }
        if !listeners.isEmpty {
            do {
                let submit = try SubmitSocket(listeners: listeners, configuration: configuration, logger: logger)
                reloadBox.set { submit.reload($0) }
                services.append(.init(service: ThreadService(submit: submit)))
                logger.info("submit socket: accepting signals", metadata: ["event": "submit_socket"])
            } catch {
                logger.error("submit socket: \(error); producers can still use the spool", metadata: ["event": "submit_socket_failed"])
            }
        }
        // s6-health: the control socket next to the state database, for
        // `vertrouwd send-test` through the running service.
        let current = Mutex(configuration)
        reloadBox.set { new in current.withLock { $0 = new } }
        do {
            let control = try ControlSocket(path: ControlSocket.path(forState: configuration.state.path), logger: logger) { request in
                await SendTestRequest.answer(request, configuration: { current.withLock { $0 } }, delivery: delivery, logger: logger)
            }
            services.append(.init(service: ThreadService(control: control)))
        } catch {
            logger.error("control socket: \(error); send-test will send from its own shell", metadata: ["event": "control_socket_failed"])
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch let error as StoreError where error.isPermanent {
            throw Self.stop(unusable: error, logger: logger)
        }
        logger.info("vertrouwd stopped", metadata: ["event": "exit"])
    }

    /// A store this version cannot use (written by a newer vertrouwd), at
    /// start-up or later: no retry helps. Logs why; returns exit status 78.
    static func stop(unusable error: StoreError, logger: Logger) -> ExitCode {
        logger.critical("cannot use the state database: \(error.detail); upgrade vertrouwd or restore a backup of the database",
                        metadata: ["event": "store_newer_schema"])
        return ExitCode(exitNewerSchema)
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

/// Where a reloaded configuration goes; set once the services exist.
final class ReloadTarget: Sendable {
    private let targets = Mutex<[@Sendable (Configuration) -> Void]>([])

    func set(_ target: @escaping @Sendable (Configuration) -> Void) {
        targets.withLock { $0.append(target) }
    }

    func apply(_ configuration: Configuration) {
        for target in targets.withLock({ $0 }) { target(configuration) }
    }
}

extension LogLevelOption {
    /// Sends every logger of the process, at this level, to the journal
    /// when standard error is connected to it, else to standard error with
    /// or without "<N>" priority prefixes (`LogTarget`). Once per process.
    func bootstrapLogging() {
        let target = LogTarget.detect()
        let level = self.level
        LoggingSystem.bootstrap { label in
            switch target {
            case .journal:
                var handler = JournalLogHandler(label: label)
                handler.logLevel = level
                return handler
            case .stderrPrefixed, .stderrPlain:
                var handler = StderrLogHandler(label: label, prefixed: target == .stderrPrefixed)
                handler.logLevel = level
                return handler
            }
        }
    }
}
