/// The file access the config loader needs, behind a protocol so that the
/// loader stays pure and tests can use `InMemoryConfigFileSystem`.
/// `LocalConfigFileSystem` in VertrouwdDaemon is the real one.
///
/// Implementations must follow symlinks (an admin may link the config into
/// /etc) and must refuse to read anything but a regular file.
public protocol ConfigFileSystem: Sendable {
    /// The file's type and permission bits, or nil when it does not exist.
    func status(of path: String) -> FileStatus?
    /// The whole content of a regular file.
    func contents(of path: String) throws(FileAccessError) -> [UInt8]
}

/// What the loader needs to know of a file.
public struct FileStatus: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case regular, directory, other }
    public var kind: Kind
    /// Permission bits only (`0o644`).
    public var mode: UInt32

    public init(kind: Kind, mode: UInt32) {
        self.kind = kind
        self.mode = mode & 0o7777
    }

    /// "0644"
    public var modeText: String {
        let octal = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - octal.count)) + octal
    }
}

/// A file that could not be read, with the system's reason ("No such file
/// or directory").
public struct FileAccessError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot read \(path): \(reason)" }
}

/// Files held in memory, for tests.
public struct InMemoryConfigFileSystem: ConfigFileSystem {
    public var files: [String: (content: [UInt8], status: FileStatus)]

    public init(files: [String: (content: [UInt8], status: FileStatus)] = [:]) {
        self.files = files
    }

    public mutating func add(_ path: String, _ text: String, mode: UInt32 = 0o644, kind: FileStatus.Kind = .regular) {
        files[path] = (Array(text.utf8), FileStatus(kind: kind, mode: mode))
    }

    public func status(of path: String) -> FileStatus? { files[path]?.status }

    public func contents(of path: String) throws(FileAccessError) -> [UInt8] {
        guard let file = files[path] else { throw FileAccessError(path: path, reason: "No such file or directory") }
        guard file.status.kind == .regular else { throw FileAccessError(path: path, reason: "not a regular file") }
        return file.content
    }
}
