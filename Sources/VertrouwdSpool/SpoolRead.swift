// SpoolRead — reading a claimed spool file the way Postfix does.
//
// Security stance: lstat first; only a regular file no larger than the
// limit is opened, with O_NOFOLLOW|O_NONBLOCK, and fstat must then show the
// very inode lstat saw (a swap in between is refused). A symlink, FIFO,
// socket, device or folder is never opened, so nothing it points to is ever
// touched and a FIFO cannot block the daemon. At most maxBytes+1 bytes are
// read. Nothing here logs; file content never leaves this function except
// as the returned bytes.

import Crypto
import VertrouwdCore
import Glibc

/// Why a whole spool file was refused. The raw value is the reason code
/// used in logs, health counters and quarantine reasons.
public enum FileRejectReason: String, CaseIterable, Sendable {
    /// A symbolic link (never followed).
    case symlink
    /// A named pipe (never opened).
    case fifo
    /// A unix socket.
    case socket
    /// A character or block device.
    case device
    /// A folder.
    case directory
    /// Larger than the limit (`spool.max_file_bytes`).
    case oversize
    /// Not valid UTF-8 (overlong forms, surrogates, stray bytes).
    case notUTF8 = "not_utf8"
    /// UTF-16 text: a byte-order mark (FF FE or FE FF) at the start, or a
    /// NUL among the first two bytes (ASCII written as UTF-16 interleaves
    /// every character with a NUL). Checked before anything else of the
    /// content is looked at, so no field of such a file is ever used.
    case utf16
    /// Replaced by something else between lstat and open.
    case changed
    /// Could not be examined or read (vanished, I/O error, permissions).
    case unreadable
}

/// The outcome of reading a claimed spool file.
public enum SpoolRead: Sendable, Equatable {
    /// The whole file, valid UTF-8, and the SHA-256 of those bytes.
    case content([UInt8], digest: [UInt8])
    /// The file was refused; it should go to quarantine whole.
    case rejected(FileRejectReason)
}

extension SpoolDirectory {
    /// Reads `cur/<name>` safely.
    ///
    /// 1. `lstat`: a symlink, FIFO, socket, device or folder is rejected
    ///    without being opened; a size above `maxBytes` is `.oversize`
    ///    without reading.
    /// 2. `open(O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC)` and `fstat`: the
    ///    same device and inode, still a regular file, or `.changed`.
    /// 3. At most `maxBytes + 1` bytes are read (`.oversize` if it grew);
    ///    UTF-16 text is `.utf16` (see `FileRejectReason.utf16`), other
    ///    invalid UTF-8 `.notUTF8`.
    ///
    /// A name that is not one folder entry, a vanished file and I/O errors
    /// are `.unreadable`.
    public func read(claimed name: String, maxBytes: Int) -> SpoolRead {
        read(claimed: name, maxBytes: maxBytes, betweenStatAndOpen: {})
    }

    /// `read(claimed:maxBytes:)` with a hook run between lstat and open, so
    /// that tests can swap the file.
    func read(claimed name: String, maxBytes: Int, betweenStatAndOpen hook: () -> Void) -> SpoolRead {
        guard Self.isEntryName(name), maxBytes >= 0 else { return .rejected(.unreadable) }
        let path = curPath + "/" + name
        var before = stat()
        guard lstat(path, &before) == 0 else { return .rejected(.unreadable) }
        if let kind = FileRejectReason(nonRegularMode: before.st_mode) { return .rejected(kind) }
        guard before.st_size <= maxBytes else { return .rejected(.oversize) }

        hook()
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            return .rejected(errno == ELOOP || errno == ENXIO || errno == EISDIR ? .changed : .unreadable)
        }
        defer { close(fd) }
        var after = stat()
        guard fstat(fd, &after) == 0 else { return .rejected(.unreadable) }
        guard after.st_dev == before.st_dev, after.st_ino == before.st_ino,
              after.st_mode & S_IFMT == S_IFREG else { return .rejected(.changed) }

        guard let bytes = readAtMost(fd: fd, limit: maxBytes + 1) else { return .rejected(.unreadable) }
        guard bytes.count <= maxBytes else { return .rejected(.oversize) }
        if Self.looksLikeUTF16(bytes) { return .rejected(.utf16) }
        guard UTF8Validation.isValid(bytes) else { return .rejected(.notUTF8) }
        return .content(bytes, digest: Array(SHA256.hash(data: bytes)))
    }
}

extension SpoolDirectory {
    /// A UTF-16 byte-order mark at the start, or a NUL in the first two
    /// bytes: no JSON Lines file starts so, and UTF-16 text always does
    /// (its BOM, or the NUL half of its first ASCII character).
    static func looksLikeUTF16(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return bytes.first == 0 }
        if (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) { return true }
        return bytes[0] == 0 || bytes[1] == 0
    }
}

extension FileRejectReason {
    /// The reason for a mode that is not a regular file; nil for one.
    init?(nonRegularMode mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR, S_IFBLK: self = .device
        case S_IFDIR: self = .directory
        default: self = .unreadable
        }
    }
}

/// Reads from `fd` until end of file or `limit` bytes; nil on an error.
///
/// Reads straight into an array sized by `fstat` (one byte more, to see
/// the end in the same pass), so a spool file is copied once, by the
/// kernel: reading 64 KiB chunks and appending them copied every byte
/// again and regrew the array (`make bench` 8). The array's storage is
/// not zeroed first: `read` writes each byte that is kept, and zeroing
/// touched every page of a 1.6 MB file once more before the read did
/// (a sixth of the helper thread's page faults in `make bench` 8). A
/// file that grows while it is read is read on, up to `limit`.
func readAtMost(fd: Int32, limit: Int) -> [UInt8]? {
    var st = stat()
    let size = fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) : 64 * 1024
    var capacity = min(limit, size + 1)
    var out = [UInt8]()
    while true {
        var failed = false
        var atEnd = false
        let kept = out
        // Only the first `initializedCount` bytes are ever read: the bytes
        // so far, then what `read` wrote.
        out = [UInt8](unsafeUninitializedCapacity: max(capacity, kept.count)) { buffer, initializedCount in
            var filled = buffer.initialize(fromContentsOf: kept)
            while filled < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    break
                }
                if n == 0 {
                    atEnd = true
                    break
                }
                filled += n
            }
            initializedCount = filled
        }
        if failed { return nil }
        if atEnd || out.count >= limit { return out }
        capacity = min(limit, out.count * 2)
    }
}

