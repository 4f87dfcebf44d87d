// SpoolDirectory — the four folders of the maildir-style spool (DESIGN §3).
//
// Security stance: everything a producer can put in the spool is hostile.
// Nothing in it is ever followed: entries are examined with lstat and
// opened with O_NOFOLLOW only after they prove to be regular files;
// symlinks, FIFOs, sockets, devices and folders are moved aside whole,
// never opened. Folders are opened with O_DIRECTORY|O_NOFOLLOW. File names
// are producer-chosen: they are never logged and never reused as
// quarantine names; errors name a file by its keyed id (`SpoolIDKey`).
// Nothing here logs.

import Glibc

/// The spool folders: `<root>/tmp`, `new`, `cur` and `quarantine`.
///
/// Producers write into `tmp/` and rename finished files into `new/`; the
/// daemon claims a file by renaming it into `cur/`, reads it, commits its
/// counts, then removes it. Damaged files and lines go to `quarantine/`.
public struct SpoolDirectory: Sendable {
    /// The folders the daemon lists.
    public enum Folder: Sendable, Hashable {
        /// `new/`: finished files not yet claimed.
        case new
        /// `cur/`: claimed files not yet removed (left over after a crash).
        case cur
    }

    /// The spool's root folder.
    public let root: String
    /// The system calls whose failures tests provoke; `.real` otherwise.
    public let system: SpoolSystemCalls
    /// The id key once `idKey()` (or `prepare()`) loaded it; shared by copies.
    let keyCache = SpoolKeyCache()

    /// A spool rooted at `root` (no trailing slash needed).
    public init(root: String, system: SpoolSystemCalls = .real) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.system = system
    }

    /// `<root>/tmp`: producers write here.
    public var tmpPath: String { root + "/tmp" }
    /// `<root>/new`: producers rename finished files here.
    public var newPath: String { root + "/new" }
    /// `<root>/cur`: claimed files.
    public var curPath: String { root + "/cur" }
    /// `<root>/quarantine`: rejected files and lines with their reasons.
    public var quarantinePath: String { root + "/quarantine" }

    func path(of folder: Folder) -> String {
        switch folder {
        case .new: newPath
        case .cur: curPath
        }
    }

    /// Creates the folders that are missing, then reads or makes the id
    /// key (`idKey()`): the daemon's side of the spool is ready.
    ///
    /// Modes: root 0755, `tmp` and `new` 2730 (producers in the group may
    /// write but not list; setgid, so their files carry the spool's group
    /// and the daemon can read them whatever the producer's own group),
    /// `cur` and `quarantine` 0700 — as vertrouwd.tmpfiles makes them. The modes of folders
    /// that exist are left alone (systemd-tmpfiles may own them). A path that
    /// exists but is not a folder (a symlink included) is an error.
    public func prepare() throws(SpoolError) {
        try makeFolder(root, mode: 0o755)
        try makeFolder(tmpPath, mode: 0o2730)
        try makeFolder(newPath, mode: 0o2730)
        try makeFolder(curPath, mode: 0o700)
        try makeFolder(quarantinePath, mode: 0o700)
        _ = try idKey()
    }

    private func makeFolder(_ path: String, mode: mode_t) throws(SpoolError) {
        // A folder that exists is left alone without calling mkdir: under
        // the unit's RestrictSUIDSGID=yes, seccomp refuses mkdir with the
        // setgid bit (EPERM) before the kernel could answer EEXIST, which
        // made the daemon degraded on every start (found by test-systemd).
        var existing = stat()
        if lstat(path, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFDIR else {
                throw SpoolError(operation: "mkdir", path: path, errno: ENOTDIR)
            }
            return
        }
        if mkdir(path, mode) == 0 {
            // mkdir applies the umask; set the mode we mean.
            guard chmod(path, mode) == 0 else { throw .last("chmod", path) }
            return
        }
        guard errno == EEXIST else { throw .last("mkdir", path) }
        var st = stat()
        guard lstat(path, &st) == 0 else { throw .last("lstat", path) }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            throw SpoolError(operation: "mkdir", path: path, errno: ENOTDIR)
        }
    }

    /// The safe designation of a file in a folder, for errors: its keyed
    /// id, or no id at all while the key is not loaded (never a plain hash).
    func designation(_ folder: String, _ name: String) -> String {
        guard let key = keyCache.value.withLock({ $0 }) else { return folder + "/<file>" }
        return folder + "/<file \(key.fileID(name: name))>"
    }

    /// A name that is one entry of a folder: not empty, not `.` or `..`, no
    /// `/` and no NUL.
    static func isEntryName(_ name: String) -> Bool {
        guard !name.isEmpty, name != ".", name != ".." else { return false }
        return !name.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == 0 })
    }

    func checkName(_ name: String, in folder: String, _ operation: String) throws(SpoolError) {
        guard Self.isEntryName(name) else {
            throw SpoolError(operation: operation, path: designation(folder, name), errno: EINVAL)
        }
    }
}
