import Foundation
import Glibc
import Testing
@testable import VertrouwdSpool

/// System calls that fail the way a full disk or a process out of
/// descriptors makes them fail.
extension SpoolSystemCalls {
    /// fsync fails with EIO on folders; files sync as usual.
    static let failingFolderSync = SpoolSystemCalls(fsync: { fd in
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return Glibc.fsync(fd) }
        errno = EIO
        return -1
    }, dup: { Glibc.dup($0) })

    /// dup fails with EMFILE (the process is out of descriptors).
    static let failingDup = SpoolSystemCalls(fsync: { Glibc.fsync($0) }, dup: { _ in
        errno = EMFILE
        return -1
    })
}

/// The descriptors of this process that are open on `path`, read from
/// /proc/self/fd. Parallel tests open other files, never this one.
func openDescriptors(on path: String) -> Int {
    guard let real = realpath(path, nil) else { return 0 }
    defer { free(real) }
    let target = String(cString: real)
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return fds.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)) == target }.count
}

@Suite("Spool faults: failed system calls")
struct SpoolFaultTests {
    @Test("a listing that fails closes the folder it opened")
    func failedListingClosesTheFolder() throws {
        try withSpool { base in
            let spool = SpoolDirectory(root: base.root, system: .failingDup)
            #expect(openDescriptors(on: spool.newPath) == 0)
            for _ in 0..<3 {
                #expect(throws: SpoolError.self) { try spool.pending(.new) }
            }
            #expect(openDescriptors(on: spool.newPath) == 0, "pending(.new) leaked the folder's descriptor")
        }
    }

    @Test("a drop whose new/ cannot be synced fails and leaves no file behind")
    func failedFolderSyncFailsTheDrop() throws {
        try withSpool { base in
            let spool = SpoolDirectory(root: base.root, system: .failingFolderSync)
            #expect(throws: SpoolError(operation: "fsync", path: spool.newPath, errno: EIO)) {
                _ = try spool.drop(Array("{}\n".utf8))
            }
            // Not acknowledged, so not left to be counted as if it were.
            #expect(entries(spool.newPath) == [])
            #expect(entries(spool.tmpPath) == [])
        }
    }

    @Test("a drop that syncs is in new/ once")
    func dropLandsInNew() throws {
        try withSpool { spool in
            let name = try spool.drop(Array("{}\n".utf8))
            #expect(entries(spool.newPath) == [name])
            #expect(readFile(spool.newPath + "/" + name) == "{}\n")
            #expect(mode(spool.newPath + "/" + name) == 0o640)
            #expect(entries(spool.tmpPath) == [])
        }
    }
}

extension SpoolFaultTests {
    @Test("a quarantine file whose folder cannot be synced is an error")
    func failedFolderSyncFailsTheQuarantine() throws {
        try withSpool { base in
            let spool = SpoolDirectory(root: base.root, system: .failingFolderSync)
            #expect(throws: SpoolError(operation: "fsync", path: spool.quarantinePath, errno: EIO)) {
                try spool.quarantineLines(id: "abc", lines: [QuarantinedLine(number: 1, reason: "blank", content: [])])
            }
            #expect(!entries(spool.quarantinePath).contains { $0.hasSuffix(".tmp") })
        }
    }
}
