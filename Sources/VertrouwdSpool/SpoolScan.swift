// SpoolScan — deciding whether a refused regular file may be kept in
// quarantine.
//
// Security stance: opened with O_NOFOLLOW|O_NONBLOCK and checked to be the
// inode lstat saw; every line goes through the PII gate; anything that
// cannot be scanned completely is withheld. The result names a detector
// and a line number, never what was found.

import Glibc
import VertrouwdCore

/// Whether a file's content may be kept in quarantine.
enum QuarantineVerdict: Equatable {
    case keep
    /// Not kept; the text says why (`pii_email on line 3`, …).
    case withheld(String)
}

/// The most a whole-file quarantine scans; a larger file is withheld.
let quarantineScanLimit = 64 << 20
/// The longest line the scan accepts; a longer one withholds the file.
let quarantineLineLimit = 1 << 20

/// Scans the regular file at `path` (which lstat described as `expected`)
/// with the PII gate, line by line.
func scanForPII(path: String, expected: stat) -> QuarantineVerdict {
    guard expected.st_size <= quarantineScanLimit else { return .withheld("too large to scan") }
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { return .withheld("could not be scanned") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_dev == expected.st_dev, st.st_ino == expected.st_ino,
          st.st_mode & S_IFMT == S_IFREG else { return .withheld("could not be scanned") }
    guard let bytes = readAtMost(fd: fd, limit: quarantineScanLimit + 1) else {
        return .withheld("could not be scanned")
    }
    guard bytes.count <= quarantineScanLimit else { return .withheld("too large to scan") }
    return bytes.withUnsafeBytes { all in
        var start = 0
        var number = 1
        while start <= all.count {
            var end = start
            while end < all.count, all[end] != 0x0A { end += 1 }
            if end - start > quarantineLineLimit { return .withheld("line \(number) too long to scan") }
            if end > start, let hit = PIIGate.scanRawLine(UnsafeRawBufferPointer(rebasing: all[start..<end])) {
                return .withheld("\(hit.reason.rawValue) on line \(number)")
            }
            start = end + 1
            number += 1
        }
        return .keep
    }
}
