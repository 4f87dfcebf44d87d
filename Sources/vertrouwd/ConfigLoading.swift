import ArgumentParser
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDaemon

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
