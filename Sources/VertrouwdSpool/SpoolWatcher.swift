// SpoolWatcher — waits for files to arrive in new/ (DESIGN §3).
//
// Security stance: the watch is added with IN_ONLYDIR|IN_DONT_FOLLOW, so a
// symlink in place of new/ is refused. Event names (producer-chosen file
// names) are skipped over, never read into a String or logged: an event
// only says "look again". Waiting blocks in poll() over the inotify
// descriptor and a wake pipe, so an idle daemon costs nothing.

import Glibc

/// inotify on the spool's `new/` folder.
///
/// `wait(timeoutMilliseconds:)` blocks the calling thread; call it from one
/// thread at a time. `wake()` may be called from any thread.
public final class SpoolWatcher: Sendable {
    /// What ended a wait.
    public enum Event: Sendable, Equatable {
        /// A file was renamed into or written in the folder: scan it.
        case changed
        /// The kernel's event queue overflowed: events were lost, rescan.
        case overflow
        /// Nothing happened within the timeout.
        case timeout
        /// `wake()` was called.
        case woken
        /// The folder was deleted, moved or unmounted: the watch is gone.
        /// Prepare the spool again, watch it with a new watcher, and rescan.
        case lost
    }

    private let inotifyFD: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let watch: Int32

    private static let mask: UInt32 = UInt32(IN_MOVED_TO) | UInt32(IN_CLOSE_WRITE)
        | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW)

    /// Watches `directory` (the spool's `new/`).
    public init(directory: String) throws(SpoolError) {
        let fd = inotify_init1(Int32(O_NONBLOCK | O_CLOEXEC))
        guard fd >= 0 else { throw .last("inotify_init1", directory) }
        guard let pipe = CloseOnExec.pipe(nonBlocking: true) else {
            let error = SpoolError.last("pipe", directory)
            close(fd)
            throw error
        }
        let wd = inotify_add_watch(fd, directory, Self.mask)
        guard wd >= 0 else {
            let error = SpoolError.last("inotify_add_watch", directory)
            close(fd)
            close(pipe.read)
            close(pipe.write)
            throw error
        }
        inotifyFD = fd
        wakeRead = pipe.read
        wakeWrite = pipe.write
        watch = wd
    }

    deinit {
        close(inotifyFD)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Wakes a `wait` in progress, or makes the next one return `.woken` at
    /// once. Safe from any thread; several wakes before a wait count as one.
    public func wake() {
        var byte: UInt8 = 1
        while write(wakeWrite, &byte, 1) < 0, errno == EINTR {}
        // EAGAIN: the pipe is full, so a wake is already pending.
    }

    /// Waits up to `timeoutMilliseconds` (-1: for ever) for something to
    /// happen in the folder, drains all pending events and returns the most
    /// important (`.lost` > `.overflow` > `.changed`). A pending wake is
    /// returned first, leaving inotify events for the next wait.
    public func wait(timeoutMilliseconds: Int32) -> Event {
        let deadline = timeoutMilliseconds < 0 ? nil : monotonicMilliseconds() + Int64(timeoutMilliseconds)
        while true {
            var remaining: Int32 = -1
            if let deadline {
                remaining = Int32(clamping: max(0, deadline - monotonicMilliseconds()))
            }
            var fds = [
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
                pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
            ]
            let n = poll(&fds, 2, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                // EINVAL/ENOMEM: nothing sensible to wait on; do not spin.
                return .timeout
            }
            if n == 0 { return .timeout }
            if fds[0].revents != 0 {
                drainWakePipe()
                return .woken
            }
            if fds[1].revents != 0, let event = drainInotify() { return event }
            if let deadline, monotonicMilliseconds() >= deadline { return .timeout }
        }
    }

    private func drainWakePipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Reads every queued inotify event; nil when none concerned the watch.
    private func drainInotify() -> Event? {
        var result: Event?
        func note(_ event: Event) {
            switch (result, event) {
            case (.lost, _): break
            case (.overflow, .changed): break
            default: result = event
            }
        }
        let headerSize = MemoryLayout<inotify_event>.size
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset + headerSize <= n {
                    let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let nameLength = raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)
                    offset += headerSize + Int(nameLength)
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        note(.overflow)
                        continue
                    }
                    guard wd == watch else { continue }
                    if mask & (UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_IGNORED) | UInt32(IN_UNMOUNT)) != 0 {
                        note(.lost)
                    } else if mask & (UInt32(IN_MOVED_TO) | UInt32(IN_CLOSE_WRITE)) != 0 {
                        note(.changed)
                    }
                }
            }
        }
        return result
    }
}

/// CLOCK_MONOTONIC in milliseconds.
private func monotonicMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
