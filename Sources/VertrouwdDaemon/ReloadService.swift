// ReloadService — SIGHUP reloads the configuration (DESIGN §9).
//
// The signal is trapped when the service is made, before the service group
// starts, so an early SIGHUP cannot kill the daemon. A valid new config is
// swapped in (RELOADING=1 … READY=1); an invalid one is rejected with every
// error and its position in the log and a STATUS line, and the running
// configuration stays.
import Logging
import ServiceLifecycle
import UnixSignals
import VertrouwdConfig
import VertrouwdCore

public struct ReloadService: Service {
    let signals: UnixSignalsSequence
    let load: @Sendable () -> ConfigLoader.Outcome
    let apply: @Sendable (Configuration) -> Void
    let notify: @Sendable (_ reloading: Bool, _ status: String) -> Void
    let logger: Logger

    /// - Parameters:
    ///   - load: reads and checks the config file again.
    ///   - apply: swaps a valid configuration in.
    ///   - notify: RELOADING=1 (true) or READY=1 (false) with a STATUS line.
    public init(load: @escaping @Sendable () -> ConfigLoader.Outcome, apply: @escaping @Sendable (Configuration) -> Void,
                notify: @escaping @Sendable (Bool, String) -> Void, logger: Logger) async {
        self.signals = await UnixSignalsSequence(trapping: .sighup)
        self.load = load
        self.apply = apply
        self.notify = notify
        self.logger = logger
    }

    public func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            notify(true, "reloading the configuration")
            switch load() {
            case .unreadable(let error):
                logger.error("reload failed: \(error); still running the previous configuration", metadata: ["event": "reload_failed"])
                notify(false, "reload failed: \(error); running the previous configuration")
            case .checked(let checked):
                guard let configuration = checked.configuration else {
                    for line in checked.report.split(separator: "\n") where line.contains(": error: ") {
                        logger.error("\(line)", metadata: ["event": "reload_error"])
                    }
                    logger.error("reload failed: \(checked.failureLine); still running the previous configuration",
                                 metadata: ["event": "reload_failed"])
                    notify(false, "reload failed: \(checked.failureLine); running the previous configuration")
                    continue
                }
                apply(configuration)
                logger.notice("configuration reloaded from \(checked.file)", metadata: ["event": "reloaded"])
                notify(false, "watching the spool (configuration reloaded)")
            }
        }
    }
}
