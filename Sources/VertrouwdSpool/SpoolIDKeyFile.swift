// SpoolIDKeyFile — where the spool's id key lives: `<spool>/.id-key`,
// 32 random bytes, mode 0600, made on first use.
//
// Why in the spool and not in the state database: the ids name spool files
// and quarantine entries, and the spool layer makes them (errors, the
// quarantine) without a store at hand. A key beside the files it names
// keeps this module free of the store, lives exactly as long as the spool
// and its quarantine (removing the spool removes both), and needs no new
// setting. The daemon owns the spool's root (vertrouwd.tmpfiles); producers
// may list it but not write it, and cannot read a 0600 file.
//
// Security stance: the file is opened with O_NOFOLLOW and must be a
// regular file of exactly 32 bytes that neither group nor others may read
// or write, else it is refused (a person must look: ids would otherwise
// change or be guessable). A new key is written to a temporary file, made
// durable, and linked into place with link(2), which never replaces an
// existing key: two processes that start at once end up with the same one.
// The key is never logged.

import Glibc
import Synchronization

extension SpoolDirectory {
    /// `<root>/.id-key`.
    public var idKeyPath: String { root + "/.id-key" }

    /// The spool's id key: read from `<root>/.id-key`, or made there on
    /// first use (32 bytes from the system's CSPRNG, mode 0600). Cached in
    /// this value (and its copies) after the first call.
    ///
    /// Throws when the root cannot be written, or when the file is not a
    /// regular file of 32 bytes with mode 0600 or stricter.
    public func idKey() throws(SpoolError) -> SpoolIDKey {
        try keyCache.value.withLock { (cached: inout SpoolIDKey?) throws(SpoolError) -> SpoolIDKey in
            if let cached { return cached }
            let key = try loadOrMakeIDKey()
            cached = key
            return key
        }
    }

    private func loadOrMakeIDKey() throws(SpoolError) -> SpoolIDKey {
        if let key = try readIDKey() { return key }
        let fresh = SpoolIDKey.random()
        var generator = SystemRandomNumberGenerator()
        let temp = root + "/.id-key.\(getpid()).\(String(UInt64.random(in: .min ... .max, using: &generator), radix: 16)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .last("create", temp) }
        defer { unlink(temp) }
        func fail(_ operation: String) -> SpoolError {
            let error = SpoolError.last(operation, temp)
            close(fd)
            return error
        }
        // The umask must not decide who can read the key.
        guard fchmod(fd, 0o600) == 0 else { throw fail("chmod") }
        let written = fresh.bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == SpoolIDKey.byteCount else {
            if written >= 0 { errno = EIO }
            throw fail("write")
        }
        guard system.fsync(fd) == 0 else { throw fail("fsync") }
        close(fd)
        if link(temp, idKeyPath) != 0 {
            // Another process made one first: use that.
            guard errno == EEXIST else { throw .last("link", idKeyPath) }
            guard let theirs = try readIDKey() else { throw SpoolError(operation: "open", path: idKeyPath, errno: ENOENT) }
            return theirs
        }
        try syncFolder(root)
        return fresh
    }

    /// The key in `<root>/.id-key`, or nil when there is none.
    private func readIDKey() throws(SpoolError) -> SpoolIDKey? {
        let fd = open(idKeyPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .last("open", idKeyPath)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .last("fstat", idKeyPath) }
        guard st.st_mode & S_IFMT == S_IFREG, st.st_size == SpoolIDKey.byteCount else {
            throw SpoolError(operation: "check (not a 32-byte file)", path: idKeyPath, errno: EINVAL)
        }
        guard st.st_mode & 0o077 == 0 else {
            throw SpoolError(operation: "check (group or others have access; chmod 600)", path: idKeyPath, errno: EACCES)
        }
        guard let bytes = readAtMost(fd: fd, limit: SpoolIDKey.byteCount + 1), bytes.count == SpoolIDKey.byteCount else {
            throw .last("read", idKeyPath)
        }
        return SpoolIDKey(bytes: bytes)
    }
}

/// Holds a loaded key for a `SpoolDirectory` and all its copies.
final class SpoolKeyCache: Sendable {
    let value = Mutex<SpoolIDKey?>(nil)
    init() {}
}
