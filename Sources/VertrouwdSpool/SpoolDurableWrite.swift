// SpoolDurableWrite — the one way the spool writes a file that must
// survive a crash: a new temporary file, written, fsynced, renamed into
// place, and the folder fsynced. A crash leaves the old state or the new
// one, never a half-written file under the final name.
//
// Security stance: the temporary file is created with O_EXCL|O_NOFOLLOW,
// so nothing a producer put in place is followed or overwritten. Paths in
// errors are folders or names chosen here (never a producer's file name).

import Glibc

extension SpoolDirectory {
    /// Writes `bytes` durably as `folder/name`, through the temporary file
    /// `temp` (a full path on the same file system).
    ///
    /// The temporary file is created anew (O_EXCL, mode `mode` whatever the
    /// umask), written, fsynced and renamed to `folder/name`; then `folder`
    /// is fsynced, so the rename survives a power cut. Every failure throws,
    /// the folder's fsync included, and takes away what it left: the
    /// temporary file, and the renamed file when only the folder's fsync
    /// failed (it is not durable, so it must not look done).
    ///
    /// A caller that may write `folder` but not read it (a producer in the
    /// spool's group: `new/` is mode 2730) cannot open it to fsync it; that
    /// one step is then skipped, and the rename is durable at the file
    /// system's next commit. The daemon owns its folders and always syncs.
    func writeDurably(_ bytes: [UInt8], via temp: String, as name: String, in folder: String, mode: mode_t) throws(SpoolError) {
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .last("create", temp) }
        func fail(_ operation: String, _ path: String) -> SpoolError {
            let error = SpoolError.last(operation, path)
            close(fd)
            unlink(temp)
            return error
        }
        // The writer's umask must not decide who can read the file.
        guard fchmod(fd, mode) == 0 else { throw fail("chmod", temp) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write", temp)
            }
            written += n
        }
        guard system.fsync(fd) == 0 else { throw fail("fsync", temp) }
        close(fd)
        let target = folder + "/" + name
        guard rename(temp, target) == 0 else {
            let error = SpoolError.last("rename", target)
            unlink(temp)
            throw error
        }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if dir < 0 {
            if errno == EACCES { return }
            let error = SpoolError.last("open", folder)
            unlink(target)
            throw error
        }
        defer { close(dir) }
        guard system.fsync(dir) == 0 else {
            let error = SpoolError.last("fsync", folder)
            unlink(target)
            throw error
        }
    }
}
