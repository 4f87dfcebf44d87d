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
    /// when this returns. Any failure throws, a failed fsync of new/
    /// included, and leaves no file behind: an error means "not taken, send
    /// again" (a file the daemon claimed in the meantime is counted once,
    /// as a resent signal with the same id is). A producer in the spool's
    /// group cannot read new/ to fsync it; see `writeDurably`.
    public func drop(_ bytes: [UInt8]) throws(SpoolError) -> String {
        let name = Self.uniqueName()
        try writeDurably(bytes, via: tmpPath + "/" + name, as: name, in: newPath, mode: 0o640)
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
