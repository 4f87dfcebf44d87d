// SpoolDrop — the producer's side of the spool protocol (DESIGN §3):
// write a file in tmp/, make it durable, rename it into new/. The rename is
// atomic, so the daemon never sees a half-written file.
#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension SpoolDirectory {
    /// Writes `bytes` as one new spool file and returns its name.
    ///
    /// The file is created in tmp/ with O_EXCL (mode 0640), written, fsynced,
    /// renamed into new/, and new/ is fsynced, so the signal is durable
    /// when this returns.
    public func drop(_ bytes: [UInt8]) throws(SpoolError) -> String {
        let name = Self.uniqueName()
        let tmp = tmpPath + "/" + name
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SpoolError(operation: "create", path: tmp, errno: errno) }
        // The producer's umask must not make the file unreadable for the daemon.
        fchmod(fd, 0o640)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(tmp)
                throw SpoolError(operation: "write", path: tmp, errno: code)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(tmp)
            throw SpoolError(operation: "fsync", path: tmp, errno: code)
        }
        close(fd)
        let target = newPath + "/" + name
        guard rename(tmp, target) == 0 else {
            let code = errno
            unlink(tmp)
            throw SpoolError(operation: "rename", path: target, errno: code)
        }
        let dir = open(newPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
        return name
    }

    /// A maildir-style unique name: time, microseconds, pid, random, host.
    static func uniqueName() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var generator = SystemRandomNumberGenerator()
        let random = String(UInt64.random(in: .min ... .max, using: &generator), radix: 16)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let hostname = String(cString: host).replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "_")
        return "\(tv.tv_sec).M\(tv.tv_usec)P\(getpid())R\(random).\(hostname.isEmpty ? "localhost" : hostname)"
    }
}
