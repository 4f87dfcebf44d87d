// The k floor of `replay` and the `summary` preview (issue 13, finding 11):
// neither ever shows counts under a `privacy.min_group_size` below the one
// the daemon runs with. A candidate config with a smaller k would otherwise
// turn either command into a way round the privacy the daemon keeps.
//
// Security stance: the live config is the daemon's (`--live-config`,
// default /etc/vertrouwd/vertrouwd.toml, the path vertrouwd.service runs
// with); only when that file does not exist is the `--config` given taken
// as the live one. The refusal names the settings, never their values.
import ArgumentParser
import Foundation
import VertrouwdCore

/// `--live-config`, shared by `replay` and `summary`.
struct LiveConfigOption: ParsableArguments {
    static let defaultPath = "/etc/vertrouwd/vertrouwd.toml"

    @Option(name: .long, help: ArgumentHelp(
        "The config the daemon runs with: no smaller privacy.min_group_size is ever used; if this file does not exist, the --config file is the live one.",
        valueName: "path"))
    var liveConfig: String = LiveConfigOption.defaultPath
}

/// The live config's k floor.
struct KFloor {
    /// The live config's `privacy.min_group_size`.
    let k: Int
    /// How the refusal names the live config.
    let name: String

    /// The floor from `option`: the live config file when it exists and is
    /// not `config`'s own file, else `config` itself. A live config that
    /// exists but does not load stops the command as any config does.
    init(_ option: LiveConfigOption, config: Configuration, configPath: String) throws {
        let live = option.liveConfig
        if !FileManager.default.fileExists(atPath: live) || Self.sameFile(live, configPath) {
            k = config.privacy.minGroupSize
            name = "--config"
        } else {
            k = try loadConfiguration(live).0.privacy.minGroupSize
            name = "the live config (--live-config)"
        }
    }

    /// Exits with status 1 when `used` (named `usedAs`) has a smaller k.
    func require(_ used: Configuration, usedAs: String, command: String) throws {
        guard used.privacy.minGroupSize >= k else {
            printError("vertrouwd: privacy.min_group_size of \(usedAs) is below privacy.min_group_size of \(name); "
                + "\(command) never uses a smaller k than the daemon")
            throw ExitCode(1)
        }
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return a == b }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}
