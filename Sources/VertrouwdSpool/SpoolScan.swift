// SpoolScan — the keyed hash of a refused regular file, for its
// quarantine record.
//
// Security stance: opened with O_NOFOLLOW|O_NONBLOCK and checked to be the
// inode lstat saw; read at most 64 MiB. The bytes leave this function only
// as a keyed hash (`SpoolIDKey.fileHash`), never as content.

import Crypto
import Glibc

/// What the quarantine records about a refused regular file's bytes.
enum QuarantineHash: Equatable {
    /// The keyed hash of the whole file.
    case hash(String)
    /// Not hashed; the text says why (`too large to hash`, …).
    case notHashed(String)
}

/// The most a whole-file quarantine reads to hash; a larger file is not hashed.
let quarantineScanLimit = 64 << 20

/// The keyed hash of the regular file at `path` (which lstat described as
/// `expected`).
func hashForQuarantine(path: String, expected: stat, key: SpoolIDKey) -> QuarantineHash {
    guard expected.st_size <= quarantineScanLimit else { return .notHashed("too large to hash") }
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { return .notHashed("could not be read") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_dev == expected.st_dev, st.st_ino == expected.st_ino,
          st.st_mode & S_IFMT == S_IFREG else { return .notHashed("could not be read") }
    guard let bytes = readAtMost(fd: fd, limit: quarantineScanLimit + 1) else { return .notHashed("could not be read") }
    guard bytes.count <= quarantineScanLimit else { return .notHashed("too large to hash") }
    return .hash(key.fileHash(contentDigest: Array(SHA256.hash(data: bytes))))
}
