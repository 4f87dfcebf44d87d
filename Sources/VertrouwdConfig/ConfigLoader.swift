import VertrouwdCore

/// Reads, parses, decodes and checks a config file: the one entry point
/// the daemon and `check-config` use.
///
/// On top of the decoder's checks it refuses a config file that group or
/// others can write (it decides what the daemon does with pupils' data) and
/// a password file that others can read or group can write (mode ≤ 0640),
/// and checks that named files exist.
public struct ConfigLoader: Sendable {
    public let fileSystem: any ConfigFileSystem

    public init(fileSystem: any ConfigFileSystem) {
        self.fileSystem = fileSystem
    }

    /// The config file could not be read at all (exit status 2 for
    /// check-config), or it was read and checked.
    public enum Outcome: Sendable {
        case unreadable(FileAccessError)
        case checked(CheckedConfig)
    }

    public func load(path: String) -> Outcome {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.contents(of: path)
        } catch {
            return .unreadable(error)
        }
        // Before parsing: a file this large is not a config file.
        guard bytes.count <= Self.maxBytes else {
            return .unreadable(FileAccessError(path: path, reason: "larger than \(Self.maxBytes / 1024) KiB, not a config file"))
        }
        var result = check(bytes: bytes, file: path)
        if let status = fileSystem.status(of: path), status.mode & 0o022 != 0 {
            result.diagnostics.insert(.error(
                at: nil, "\(path) is writable by group or others (mode \(status.modeText))",
                hint: "it decides what happens to pupils' data; run: chmod go-w \(path)"), at: 0)
            result.configuration = nil
        }
        return .checked(result)
    }

    /// Parses, decodes and checks the files the config names.
    public func check(bytes: [UInt8], file: String) -> CheckedConfig {
        let (document, syntax) = ConfigParser.parse(bytes: bytes)
        let (configuration, semantic) = ConfigDecoder.decode(document)
        var diagnostics = syntax + semantic
        if let configuration {
            diagnostics += checkFiles(configuration, document: document)
        }
        let failed = diagnostics.contains { $0.severity == .error }
        let source = String(decoding: bytes, as: UTF8.self)
        return CheckedConfig(file: file, source: source, configuration: failed ? nil : configuration,
                             diagnostics: DiagnosticRenderer.sorted(diagnostics))
    }

    static let maxBytes = 1 << 20

    /// The files the configuration names: secrets must be private, and
    /// what is named must be there.
    func checkFiles(_ configuration: Configuration, document: ConfigDocument) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let email = configuration.delivery.email
        let emailPath = ["delivery", "email"]
        func at(_ key: String) -> (SourcePosition?, Int) {
            let value = document.value(at: emailPath + [key])
            return (value?.position, value?.length ?? 1)
        }
        if email.mode == .smtp, let file = email.passwordFile {
            let (position, length) = at("password_file")
            if let status = fileSystem.status(of: file) {
                if status.kind != .regular {
                    found.append(.error(at: position, length: length, "password file \"\(file)\" is not a regular file"))
                } else if status.mode & ~UInt32(0o640) != 0 {
                    found.append(.error(
                        at: position, length: length,
                        "password file \"\(file)\" has mode \(status.modeText); it must be 0640 or stricter",
                        hint: "others must not read it and group must not write it; run: chmod 0640 \(file)"))
                }
            } else {
                found.append(.error(at: position, length: length, "password file \"\(file)\" does not exist"))
            }
        }
        if email.mode == .smtp, email.startTLS != .off, let file = email.caFile {
            let (position, length) = at("ca_file")
            if fileSystem.status(of: file)?.kind != .regular {
                found.append(.error(at: position, length: length, "CA file \"\(file)\" does not exist or is not a regular file"))
            }
        }
        if email.mode == .sendmail {
            let (position, length) = at("sendmail_path")
            let status = fileSystem.status(of: email.sendmailPath)
            if status?.kind != .regular || (status?.mode ?? 0) & 0o111 == 0 {
                found.append(.error(
                    at: position ?? document.value(at: emailPath + ["mode"])?.position, length: length,
                    "sendmail program \"\(email.sendmailPath)\" does not exist or is not executable",
                    hint: "install a local MTA (e.g. postfix) or use mode = \"smtp\""))
            }
        }
        return found
    }
}

/// A config file after checking: the configuration when there were no
/// errors, and every diagnostic in reading order.
public struct CheckedConfig: Sendable {
    public var file: String
    /// The text, for showing the lines diagnostics point at.
    public var source: String
    public var configuration: Configuration?
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// "3 errors in FILE": the last line check-config prints on failure.
    public var failureLine: String {
        let n = errors.count
        return "\(n) error\(n == 1 ? "" : "s") in \(file)"
    }

    /// Every diagnostic, rendered for a terminal or the log.
    public var report: String {
        DiagnosticRenderer.render(diagnostics, file: file, source: source)
    }
}

extension ConfigDocument {
    /// The value at a key path ("delivery", "email", "relay"), if written.
    public func value(at path: [String]) -> ConfigValue? {
        var table = root
        for (i, key) in path.enumerated() {
            guard let entry = table[key] else { return nil }
            if i == path.count - 1 { return entry.value }
            guard case .table(let next) = entry.value.kind else { return nil }
            table = next
        }
        return nil
    }
}
