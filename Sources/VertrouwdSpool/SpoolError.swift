// SpoolError — a failed system call on the spool, as a value.
//
// Security stance: the path in an error never holds a producer-chosen file
// name. Errors about one spool file name it by its keyed id
// (`SpoolIDKey.fileID(name:)`), so that an error can be logged as it is.

import Glibc

/// A system call on the spool failed.
///
/// `path` is a folder of the spool, or a folder followed by `<file ID>` where
/// `ID` is the file's keyed `SpoolIDKey.fileID(name:)` (or no id while the
/// key is not loaded): never the file's own name, never a plain hash.
public struct SpoolError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being done: `lstat`, `open`, `rename`, `mkdir`, …
    public let operation: String
    /// The folder or safe file designation the call was about.
    public let path: String
    /// The `errno` the call left.
    public let errno: Int32

    /// Creates an error; `errno` is the value the failed call left.
    public init(operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// `strerror(errno)`.
    public var message: String {
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return String(cString: text)
    }

    /// The file system is full or a quota is exhausted (ENOSPC, EDQUOT): the
    /// caller should stop claiming and retry later.
    public var isNoSpace: Bool { errno == ENOSPC || errno == EDQUOT }

    /// The file system is read-only (EROFS): retry later.
    public var isReadOnly: Bool { errno == EROFS }

    /// `"<operation> <path>: <strerror> (errno N)"`.
    public var description: String { "\(operation) \(path): \(message) (errno \(errno))" }
}

extension SpoolError {
    /// An error for the call that just failed, reading the thread's errno.
    static func last(_ operation: String, _ path: String) -> SpoolError {
        SpoolError(operation: operation, path: path, errno: Glibc.errno)
    }
}
