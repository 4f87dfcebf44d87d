// LocalConfigFileSystem — the real file access behind ConfigLoader.
//
// Security stance: it reads only regular files (after stat, following
// symlinks as /etc layouts often need), never more than the loader's limit,
// and reports errors with the system's reason but never file content.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VertrouwdConfig

public struct LocalConfigFileSystem: ConfigFileSystem {
    /// Reads refuse files larger than this.
    public var maxBytes: Int

    public init(maxBytes: Int = 1 << 20) {
        self.maxBytes = maxBytes
    }

    public func status(of path: String) -> FileStatus? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let type = st.st_mode & S_IFMT
        let kind: FileStatus.Kind = type == S_IFREG ? .regular : type == S_IFDIR ? .directory : .other
        return FileStatus(kind: kind, mode: UInt32(st.st_mode))
    }

    public func contents(of path: String) throws(FileAccessError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw failure(path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw failure(path) }
        guard st.st_mode & S_IFMT == S_IFREG else {
            let what = st.st_mode & S_IFMT == S_IFDIR ? "is a directory" : "not a regular file"
            throw FileAccessError(path: path, reason: what)
        }
        guard Int(st.st_size) <= maxBytes else {
            throw FileAccessError(path: path, reason: "larger than \(maxBytes / 1024) KiB, not a config file")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path)
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            guard bytes.count <= maxBytes else {
                throw FileAccessError(path: path, reason: "larger than \(maxBytes / 1024) KiB, not a config file")
            }
        }
        return bytes
    }

    private func failure(_ path: String) -> FileAccessError {
        FileAccessError(path: path, reason: String(cString: strerror(errno)))
    }
}
