// The adapter's state file: its secret key (for signal ids and
// weekly subjects) and its read position in the log (inode and offset).
// Mode 0600, written to a temporary file, fsynced and renamed, so a crash
// leaves the old state or the new one, never half of either. It holds no
// log content.
import Foundation
import VertrouwdAdapters

#if canImport(Glibc)
import Glibc
#endif

struct AdaptState: Equatable {
    var key: [UInt8]
    /// The log file's inode and the offset just after the last line whose
    /// signals are durable in the spool.
    var inode: UInt64?
    var offset: Int64 = 0

    struct Failure: Error { var text: String }

    /// "key HEX", "inode N", "offset N", one per line.
    var text: String {
        var out = "key \(key.map { String(format: "%02x", $0) }.joined())\n"
        if let inode { out += "inode \(inode)\noffset \(offset)\n" }
        return out
    }

    init(key: [UInt8], inode: UInt64? = nil, offset: Int64 = 0) {
        self.key = key
        self.inode = inode
        self.offset = offset
    }

    init?(text: String) {
        var key: [UInt8]?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case "key":
                let hex = Array(parts[1].utf8)
                guard hex.count >= 32, hex.count % 2 == 0 else { return nil }
                var bytes: [UInt8] = []
                for i in stride(from: 0, to: hex.count, by: 2) {
                    guard let b = UInt8(String(decoding: hex[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
                    bytes.append(b)
                }
                key = bytes
            case "inode": inode = UInt64(parts[1])
            case "offset": offset = Int64(parts[1]) ?? 0
            default: return nil
            }
        }
        guard let key else { return nil }
        self.key = key
    }

    /// The state at `path`, or a new one with a fresh key (written at once,
    /// so the key survives a crash before the first signal).
    static func loadOrCreate(_ path: String) throws(Failure) -> AdaptState {
        if let data = FileManager.default.contents(atPath: path) {
            guard let state = AdaptState(text: String(decoding: data, as: UTF8.self)) else {
                throw Failure(text: "the adapter state file \(path) is damaged; move it aside to start afresh (signals already sent may then be counted again)")
            }
            return state
        }
        let state = AdaptState(key: LineKey.randomBytes())
        // The state folder may not exist yet (the daemon has not run): make
        // it, private, as the daemon would.
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        try state.save(path)
        return state
    }

    func save(_ path: String) throws(Failure) {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(text: "cannot write the adapter state \(tmp): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw Failure(text: "cannot write the adapter state \(path): \(String(cString: strerror(errno)))")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let dir = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}
