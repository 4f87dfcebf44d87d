import Foundation
import Glibc
import Testing
@testable import VertrouwdSpool

@Suite("Watching new/")
struct SpoolWatcherTests {
    @Test("a rename into new/ is a change")
    func renameIntoNew() throws {
        try withSpool { spool in
            let watcher = try SpoolWatcher(directory: spool.newPath)
            writeFile(spool.tmpPath + "/f", "x")
            rename(spool.tmpPath + "/f", spool.newPath + "/f")
            #expect(watcher.wait(timeoutMilliseconds: 5000) == .changed)
        }
    }

    @Test("closing a file written in new/ is a change")
    func closeWrite() throws {
        try withSpool { spool in
            let watcher = try SpoolWatcher(directory: spool.newPath)
            let fd = open(spool.newPath + "/f", O_WRONLY | O_CREAT, 0o600)
            _ = write(fd, "x", 1)
            close(fd)
            #expect(watcher.wait(timeoutMilliseconds: 5000) == .changed)
        }
    }

    @Test("nothing happening is a timeout")
    func timeout() throws {
        try withSpool { spool in
            let watcher = try SpoolWatcher(directory: spool.newPath)
            #expect(watcher.wait(timeoutMilliseconds: 50) == .timeout)
            #expect(watcher.wait(timeoutMilliseconds: 0) == .timeout)
        }
    }

    @Test("wake from another thread ends a wait; a wake without waiter is kept")
    func wake() throws {
        try withSpool { spool in
            let watcher = try SpoolWatcher(directory: spool.newPath)
            watcher.wake()
            watcher.wake()
            #expect(watcher.wait(timeoutMilliseconds: 5000) == .woken)
            #expect(watcher.wait(timeoutMilliseconds: 0) == .timeout)
            let thread = Thread { usleep(50_000); watcher.wake() }
            thread.start()
            #expect(watcher.wait(timeoutMilliseconds: -1) == .woken)
        }
    }

    @Test("removing the folder loses the watch; a new watcher sees the new folder")
    func lost() throws {
        try withSpool { spool in
            let watcher = try SpoolWatcher(directory: spool.newPath)
            rmdir(spool.newPath)
            #expect(watcher.wait(timeoutMilliseconds: 5000) == .lost)
            try spool.prepare()
            let again = try SpoolWatcher(directory: spool.newPath)
            writeFile(spool.newPath + "/f", "x")
            #expect(again.wait(timeoutMilliseconds: 5000) == .changed)
        }
    }

    @Test("moving the folder away loses the watch")
    func moved() throws {
        try withSpool { spool in
            let watcher = try SpoolWatcher(directory: spool.newPath)
            rename(spool.newPath, spool.root + "/elsewhere")
            #expect(watcher.wait(timeoutMilliseconds: 5000) == .lost)
        }
    }

    @Test("a symlink in place of the folder is refused")
    func symlinked() throws {
        try withSpool { spool in
            rmdir(spool.newPath)
            symlink(spool.curPath, spool.newPath)
            #expect(throws: SpoolError.self) { try SpoolWatcher(directory: spool.newPath) }
        }
    }

    @Test("several queued events: the most important one is returned")
    func priority() throws {
        try withSpool { spool in
            let watcher = try SpoolWatcher(directory: spool.newPath)
            writeFile(spool.newPath + "/f", "x")
            unlink(spool.newPath + "/f")
            rmdir(spool.newPath)
            #expect(watcher.wait(timeoutMilliseconds: 5000) == .lost)
        }
    }

    @Test("a wake is returned before pending changes, which stay for the next wait")
    func wakeFirst() throws {
        try withSpool { spool in
            let watcher = try SpoolWatcher(directory: spool.newPath)
            writeFile(spool.newPath + "/f", "x")
            watcher.wake()
            #expect(watcher.wait(timeoutMilliseconds: 5000) == .woken)
            #expect(watcher.wait(timeoutMilliseconds: 5000) == .changed)
        }
    }
}
