import Foundation
import VertrouwdConfig

/// Golden files: each case is a config file beside the exact output
/// `check-config` gives for it. Run with VERTROUWD_UPDATE_GOLDEN=1 to write
/// the expected files anew, then read every changed one before committing.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var updating: Bool { ProcessInfo.processInfo.environment["VERTROUWD_UPDATE_GOLDEN"] == "1" }

    /// Case names (file names without ".toml") in a folder, sorted.
    static func cases(_ folder: String) -> [String] {
        let url = directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The shipped example made live as a school does: its example.invalid
    /// addresses replaced with the school's own.
    static func madeLive(_ text: String) -> String {
        text.replacingOccurrences(of: "@example.invalid\"", with: "@voorbeeldcollege.nl\"")
    }

    static func read(_ url: URL) -> String? {
        try? String(contentsOf: url, encoding: .utf8)
    }

    /// Compares `actual` with the golden file, or writes it when updating.
    static func matches(_ actual: String, _ url: URL) -> (ok: Bool, expected: String?) {
        if updating {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return (true, actual)
        }
        let expected = read(url)
        return (expected == actual, expected)
    }

    /// The in-memory file system for a case: the config itself at
    /// `NAME.toml` (mode 0644 unless the sidecar says otherwise) and the
    /// files listed in `NAME.files` ("path mode" per line; "config" names
    /// the config file).
    static func fileSystem(for name: String, folder: String, configText: String) -> InMemoryConfigFileSystem {
        var fs = InMemoryConfigFileSystem()
        var configMode: UInt32 = 0o644
        let sidecar = directory.appendingPathComponent(folder).appendingPathComponent("\(name).files")
        for line in (read(sidecar) ?? "").split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let mode = UInt32(parts[1], radix: 8) else { continue }
            if parts[0] == "config" { configMode = mode } else { fs.add(String(parts[0]), "secret\n", mode: mode) }
        }
        fs.add("\(name).toml", configText, mode: configMode)
        return fs
    }

    /// What check-config prints for a case: diagnostics, then the count
    /// line on failure, or the summary and "configuration OK".
    static func checkConfigOutput(name: String, folder: String) -> (output: String, checked: CheckedConfig)? {
        let url = directory.appendingPathComponent(folder).appendingPathComponent("\(name).toml")
        guard let data = try? Data(contentsOf: url) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        var fs = fileSystem(for: name, folder: folder, configText: text)
        fs.files["\(name).toml"]?.content = Array(data)
        guard case .checked(let checked) = ConfigLoader(fileSystem: fs).load(path: "\(name).toml") else { return nil }
        var output = checked.report
        if let configuration = checked.configuration {
            output += ConfigSummary.render(configuration) + "configuration OK\n"
        } else {
            output += checked.failureLine + "\n"
        }
        return (output, checked)
    }
}
