// SpoolClaim — listing new/ and cur/, claiming a file, removing it.
//
// Security stance: listing never follows anything and lists entries of
// every type (the reader decides what they are). Claiming is one rename
// within the spool; nothing is opened. Names are never logged.

import Glibc

extension SpoolDirectory {
    /// The names in `new/` or `cur/`, sorted by name.
    ///
    /// Skips `.`, `..` and names that start with `.`. Entries of any type
    /// are listed; nothing is followed (the folder itself is opened with
    /// O_NOFOLLOW). A name that is not valid UTF-8 cannot be spelled as a
    /// `String`, so it is first renamed in place to
    /// `invalid-name-<its keyed id, SpoolIDKey.fileID(nameBytes:)>` and
    /// listed under that name (the id key is read or made first).
    public func pending(_ folder: Folder) throws(SpoolError) -> [String] {
        let path = path(of: folder)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .last("open", path) }
        defer { close(fd) }
        var names: [String] = []
        var undecodable: [[UInt8]] = []
        try forEachEntry(fd: fd, path: path) { raw in
            guard raw.first != UInt8(ascii: ".") else { return }
            if let name = String(validating: raw, as: UTF8.self) {
                names.append(name)
            } else {
                undecodable.append(raw)
            }
        }
        for raw in undecodable {
            let safe = try "invalid-name-" + idKey().fileID(nameBytes: raw)
            let ok = (raw + [0]).withUnsafeBufferPointer { old in
                old.withMemoryRebound(to: CChar.self) { renameat(fd, $0.baseAddress, fd, safe) == 0 }
            }
            if ok || errno == ENOENT {
                if ok { names.append(safe) }
            } else {
                throw SpoolError.last("rename", path + "/<invalid name>")
            }
        }
        return names.sorted()
    }

    /// Claims `new/<name>` by renaming it to `cur/<name>`.
    ///
    /// Returns `false` when the file vanished (ENOENT). Throws for a name that
    /// is not one folder entry (`""`, `.`, `..`, with `/` or NUL), and with
    /// EEXIST when `cur/<name>` already exists (process `cur/` first: a
    /// claim never replaces a claimed file).
    public func claim(_ name: String) throws(SpoolError) -> Bool {
        try checkName(name, in: newPath, "claim")
        let source = newPath + "/" + name
        let target = curPath + "/" + name
        var st = stat()
        // cur/ belongs to the daemon alone, so this check cannot race. A
        // vanished source needs no lstat of its own in the common case:
        // rename says ENOENT.
        if lstat(target, &st) == 0 {
            guard lstat(source, &st) == 0 || errno != ENOENT else { return false }
            throw SpoolError(operation: "claim", path: designation(curPath, name), errno: EEXIST)
        }
        guard rename(source, target) == 0 else {
            if errno == ENOENT { return false }
            throw .last("rename", designation(newPath, name))
        }
        return true
    }

    /// Removes `cur/<name>` once its counts are committed.
    ///
    /// A missing file is fine (idempotent). A folder in `cur/` is not removed
    /// here: it goes to quarantine.
    public func remove(claimed name: String) throws(SpoolError) {
        try checkName(name, in: curPath, "remove")
        guard unlink(curPath + "/" + name) == 0 || errno == ENOENT else {
            throw .last("unlink", designation(curPath, name))
        }
    }

    /// Calls `body` with the raw name of each entry of the open folder `fd`
    /// (`.` and `..` excluded). The folder's offset is rewound first.
    func forEachEntry(fd: Int32, path: String, _ body: ([UInt8]) throws(SpoolError) -> Void) throws(SpoolError) {
        let dupFD = system.dup(fd)
        guard dupFD >= 0 else { throw .last("dup", path) }
        guard let dir = fdopendir(dupFD) else {
            let e = SpoolError.last("fdopendir", path)
            close(dupFD)
            throw e
        }
        defer { closedir(dir) }
        rewinddir(dir)
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw .last("readdir", path) }
                return
            }
            let raw = withUnsafePointer(to: &entry.pointee.d_name) { p in
                p.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { c in
                    Array(UnsafeBufferPointer(start: c, count: strlen(UnsafeRawPointer(c).assumingMemoryBound(to: CChar.self))))
                }
            }
            if raw == [0x2E] || raw == [0x2E, 0x2E] { continue }
            try body(raw)
        }
    }
}
