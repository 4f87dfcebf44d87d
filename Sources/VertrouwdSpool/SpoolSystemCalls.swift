// SpoolSystemCalls — the system calls whose failure the spool must answer
// correctly, behind closures so that a test can make one fail.
//
// A failed fsync or dup cannot be provoked from outside without changing
// the whole process (a full disk, a lowered RLIMIT_NOFILE), so the spool
// makes these calls through this value; `.real` calls the kernel.

import Glibc

/// The system calls the spool makes where a failure must be tested.
///
/// Each closure behaves like the call it names: it returns what the call
/// returns and, on failure, leaves the call's `errno`.
public struct SpoolSystemCalls: Sendable {
    /// fsync(2): 0, or -1 with `errno` set.
    public var fsync: @Sendable (Int32) -> Int32
    /// dup(2): the new descriptor, or -1 with `errno` set.
    public var dup: @Sendable (Int32) -> Int32

    /// System calls made by `fsync` and `dup`.
    public init(fsync: @escaping @Sendable (Int32) -> Int32, dup: @escaping @Sendable (Int32) -> Int32) {
        self.fsync = fsync
        self.dup = dup
    }

    /// The kernel's own calls.
    public static let real = SpoolSystemCalls(fsync: { Glibc.fsync($0) }, dup: { Glibc.dup($0) })
}
