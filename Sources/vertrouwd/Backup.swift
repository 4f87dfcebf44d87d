// `vertrouwd backup FILE`: a consistent copy of the state database, made
// while the daemon runs (SQLite's online backup; see StoreBackup). The copy
// is mode 0600 and never overwrites a file unless --force says so. Restoring
// is a manual step (README.md, "Backup and restore"): stop the daemon, copy
// the file back with the daemon's owner and mode 0600, start it.
import ArgumentParser
import Foundation
import VertrouwdStore

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the state database to FILE, consistently, while the daemon runs.",
        discussion: "The copy is created mode 0600. An existing FILE is refused unless --force is given."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: ArgumentHelp("The state database to copy (default: state.path of the config, which is then not read).",
                                            valueName: "path"))
    var state: String?

    @Flag(name: .long, help: "Overwrite FILE if it exists.")
    var force = false

    @Argument(help: ArgumentHelp("Where to write the copy.", valueName: "file"))
    var file: String

    func run() throws {
        let source: String
        if let state {
            source = state
        } else {
            source = try loadConfiguration(options.config).0.state.path
        }
        // An existing file is refused up front: the command's own failure (1).
        if !force, FileManager.default.fileExists(atPath: file) {
            printError("vertrouwd: backup failed: \(file) exists; use --force to overwrite it")
            throw ExitCode(1)
        }
        do throws(StoreError) {
            let result = try StoreBackup.copy(from: source, to: file, replace: force)
            print("backed up \(source) to \(file) (\(result.bytes) bytes, mode 0600)")
        } catch {
            // A file that cannot be read or written (2).
            printError("vertrouwd: backup failed: \(error.detail)")
            throw ExitCode(2)
        }
    }
}
