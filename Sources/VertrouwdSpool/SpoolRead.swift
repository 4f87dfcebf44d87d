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
    ///    invalid UTF-8 is `.notUTF8`.
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
        guard UTF8Validation.isValid(bytes) else { return .rejected(.notUTF8) }
        return .content(bytes, digest: Array(SHA256.hash(data: bytes)))
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
func readAtMost(fd: Int32, limit: Int) -> [UInt8]? {
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while out.count < limit {
        let want = min(chunk.count, limit - out.count)
        let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
        if n < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}

