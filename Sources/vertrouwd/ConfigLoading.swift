import Foundation
import ArgumentParser
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdStore

/// Loads the config the way every command does: diagnostics on standard
/// error; exit 1 for errors in the file, 2 when it cannot be read.
func loadConfiguration(_ path: String) throws -> (Configuration, CheckedConfig) {
    let loader = ConfigLoader(fileSystem: LocalConfigFileSystem())
    switch loader.load(path: path) {
    case .unreadable(let error):
        printError("vertrouwd: \(error)")
        throw ExitCode(2)
    case .checked(let checked):
        if !checked.diagnostics.isEmpty {
            printError(checked.report, terminator: "")
        }
        guard let configuration = checked.configuration else {
            printError(checked.failureLine)
            throw ExitCode(1)
        }
        return (configuration, checked)
    }
}

/// Opens the daemon's state database for a command that reads it (summary,
/// replay): exit 2 when there is none yet or it cannot be opened.
func openStateStore(_ configuration: Configuration, missing: String = "") throws -> SignalStore {
    let path = configuration.state.path
    guard FileManager.default.fileExists(atPath: path) else {
        printError("vertrouwd: no state database at \(path)\(missing)")
        throw ExitCode(2)
    }
    do {
        return try SignalStore(path: path, now: Int64(Date().timeIntervalSince1970))
    } catch {
        printError("vertrouwd: cannot open the state database: \(error)")
        throw ExitCode(2)
    }
}
