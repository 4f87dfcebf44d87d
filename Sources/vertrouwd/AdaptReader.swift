// Reads a log line by line from standard input, a file, or a file followed
// across rotation: by rename (logrotate's default: a new file appears under
// the name, the old inode is read to its end first) and by copytruncate
// (the same inode shrinks: read again from its start). Knows offsets, not
// content: the lines go to the caller.
import VertrouwdAdapters

#if canImport(Glibc)
import Glibc
#endif

/// One open log and where in it the next line starts.
final class AdaptReader {
    let path: String?
    private(set) var fd: Int32
    private(set) var inode: UInt64
    /// The offset just after the last complete line handed out.
    private(set) var lineOffset: Int64
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    struct Failure: Error { var text: String }

    /// Standard input.
    init() {
        path = nil
        fd = STDIN_FILENO
        inode = 0
        lineOffset = 0
    }

    /// A file, from `offset` when it is still the file of `inode` and at
    /// least that long; from its start otherwise.
    init(path: String, inode: UInt64?, offset: Int64) throws(Failure) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw Failure(text: "cannot read \(path): \(String(cString: strerror(errno)))") }
        var st = stat()
        fstat(fd, &st)
        self.inode = UInt64(st.st_ino)
        lineOffset = 0
        if let inode, inode == self.inode, offset <= Int64(st.st_size), offset > 0 {
            lseek(fd, off_t(offset), SEEK_SET)
            lineOffset = offset
        }
    }

    deinit {
        if path != nil { close(fd) }
    }

    /// Reads what is there and hands each complete line to `body` with the
    /// offset after it. Returns the number of bytes read (0 at the end).
    /// At the end of a finished input (`final`), a last line without a
    /// newline is handed out too.
    func readLines(final: Bool = false, _ body: (ArraySlice<UInt8>, Int64) throws -> Void) throws -> Int {
        var n: Int
        repeat {
            n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        } while n < 0 && errno == EINTR && !AdaptStop.requested
        if n < 0 {
            if errno == EINTR { return 0 }
            throw Failure(text: "cannot read \(path ?? "standard input"): \(String(cString: strerror(errno)))")
        }
        let carried = buffer.count
        if n > 0 { buffer.append(contentsOf: chunk[0..<n]) }
        var start = 0
        var scanFrom = carried
        while let newline = buffer[scanFrom...].firstIndex(of: 0x0A) {
            lineOffset += Int64(newline + 1 - start)
            var line = buffer[start..<newline]
            if line.last == 0x0D { line = line.dropLast() }
            try body(line, lineOffset)
            start = newline + 1
            scanFrom = start
        }
        if n == 0, final, start < buffer.count {
            lineOffset += Int64(buffer.count - start)
            try body(buffer[start...], lineOffset)
            start = buffer.count
        }
        buffer.removeFirst(start)
        // A "line" longer than any parser reads is dropped in pieces; the
        // caller counts it as too long.
        if buffer.count > maxLineBytes * 4 {
            lineOffset += Int64(buffer.count)
            try body(buffer[...], lineOffset)
            buffer.removeAll()
        }
        return n
    }

    /// After reaching the end while following: what happened to the file.
    enum Rotation { case none, renamed, truncated }

    func checkRotation() -> Rotation {
        guard let path else { return .none }
        var st = stat()
        if stat(path, &st) == 0, UInt64(st.st_ino) != inode { return .renamed }
        var own = stat()
        guard fstat(fd, &own) == 0 else { return .none }
        let position = lineOffset + Int64(buffer.count)
        let size = Int64(own.st_size)
        if size < position { return .truncated }
        // Emptied and refilled to exactly where we were: nothing was read
        // since the last look, the size is the same, yet the file changed.
        let mtime = (Int64(own.st_mtim.tv_sec), Int64(own.st_mtim.tv_nsec))
        defer { lastLook = (position, mtime) }
        if let last = lastLook, last.position == position, size == position, last.mtime != mtime { return .truncated }
        return .none
    }

    /// The read position and the file's mtime when the end was last reached.
    private var lastLook: (position: Int64, mtime: (Int64, Int64))?

    /// Copytruncate: the same file, read again from its start.
    func restartFromTop() {
        lseek(fd, 0, SEEK_SET)
        lineOffset = 0
        lastLook = nil
        buffer.removeAll()
    }

    /// Rename: the new file under the same name, from its start. The old
    /// file must have been read to its end first.
    func reopen() throws(Failure) {
        guard let path else { return }
        let newFD = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard newFD >= 0 else { throw Failure(text: "cannot read \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        fd = newFD
        var st = stat()
        fstat(fd, &st)
        inode = UInt64(st.st_ino)
        lineOffset = 0
        lastLook = nil
        buffer.removeAll()
    }
}

/// SIGTERM and SIGINT ask the adapter to finish what it read and stop.
enum AdaptStop {
    nonisolated(unsafe) static var requested = false

    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in AdaptStop.requested = true }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0 // no SA_RESTART: a blocked read returns EINTR
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
    }
}
