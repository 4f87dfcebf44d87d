// SpoolCleaning — removing stale tmp/ files and expired quarantine entries.
//
// Security stance: folders are opened with O_DIRECTORY|O_NOFOLLOW and all
// work is relative to their descriptors (fstatat with AT_SYMLINK_NOFOLLOW,
// unlinkat), so nothing is followed: a symlink is removed, never its
// target. A quarantined folder is removed depth first through descriptors,
// at most 32 levels deep (deeper trees are left for a person). Names are
// never logged; failures are skipped and counted as not removed.

import Glibc

extension SpoolDirectory {
    /// Removes entries of `tmp/` that are not folders (files, symlinks, FIFOs
    /// …) whose mtime is more than `olderThan` seconds before `now` (Unix
    /// seconds). The maildir convention is 36 hours. Returns how many were
    /// removed.
    public func cleanTmp(now: Int64, olderThan: Int64) -> Int {
        clean(tmpPath, cutoff: now - olderThan, folders: false)
    }

    /// Removes entries of `quarantine/` (files, their reasons, whole
    /// quarantined folders, leftover temporary files) whose mtime is more
    /// than `olderThan` seconds before `now`. Returns how many top-level
    /// entries were removed.
    public func cleanQuarantine(now: Int64, olderThan: Int64) -> Int {
        clean(quarantinePath, cutoff: now - olderThan, folders: true)
    }

    private func clean(_ path: String, cutoff: Int64, folders: Bool) -> Int {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var names: [[UInt8]] = []
        do throws(SpoolError) {
            try forEachEntry(fd: fd, path: path) { names.append($0) }
        } catch {
            // A partial listing is still worth cleaning.
        }
        var removed = 0
        for raw in names {
            let done: Bool = (raw + [0]).withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cName in
                    let name = cName.baseAddress!
                    var st = stat()
                    guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
                    guard Int64(st.st_mtim.tv_sec) < cutoff else { return false }
                    if st.st_mode & S_IFMT == S_IFDIR {
                        guard folders else { return false }
                        return removeTree(parent: fd, name: name, depth: 0)
                    }
                    return unlinkat(fd, name, 0) == 0
                }
            }
            if done { removed += 1 }
        }
        return removed
    }
}

/// Removes the folder `name` in `parent` and everything in it, without
/// following symlinks. Returns whether the folder is gone.
func removeTree(parent: Int32, name: UnsafePointer<CChar>, depth: Int) -> Bool {
    guard depth < 32 else { return false }
    let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return false }
    guard let dir = fdopendir(fd) else {
        close(fd)
        return false
    }
    var children: [[UInt8]] = []
    while let entry = readdir(dir) {
        let raw = withUnsafePointer(to: &entry.pointee.d_name) { p in
            p.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                Array(UnsafeRawBufferPointer(start: $0, count: strlen($0)).bindMemory(to: UInt8.self))
            }
        }
        if raw == [0x2E] || raw == [0x2E, 0x2E] { continue }
        children.append(raw)
    }
    for raw in children {
        (raw + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cName in
                let child = cName.baseAddress!
                var st = stat()
                guard fstatat(fd, child, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return }
                if st.st_mode & S_IFMT == S_IFDIR {
                    _ = removeTree(parent: fd, name: child, depth: depth + 1)
                } else {
                    unlinkat(fd, child, 0)
                }
            }
        }
    }
    closedir(dir)
    return unlinkat(parent, name, AT_REMOVEDIR) == 0
}
