import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Nothing is lost and nothing is counted twice, however the daemon dies.
extension Integration {
    @Suite(.serialized) struct CrashTests {
        @Test func killedAtRandomMomentsTheCountIsStillExact() throws {
            let files = 1_000, linesPerFile = 50
            let h = try DaemonHarness(spool: "")
            try h.prepareSpool()
            let contents: [String] = (0..<files).map { _ in
                (0..<linesPerFile).map { _ in Lines.signal() }.joined(separator: "\n") + "\n"
            }
            // Half are waiting before the first start; a producer drops the
            // rest while the daemon is being killed.
            for i in 0..<(files / 2) { try h.drop(contents[i], name: "f\(i)") }
            let producer = Thread {
                for i in (files / 2)..<files {
                    try? h.drop(contents[i], name: "f\(i)")
                    if i % 25 == 0 { Thread.sleep(forTimeInterval: 0.05) }
                }
            }
            producer.start()

            var generator = SystemRandomNumberGenerator()
            var delays: [Int] = []
            var killedMidWork = 0
            for _ in 0..<12 {
                try h.start()
                let ms = Int.random(in: 20...400, using: &generator)
                delays.append(ms)
                Thread.sleep(forTimeInterval: Double(ms) / 1_000)
                let busy = !h.entries("new").isEmpty || !h.entries("cur").isEmpty
                h.crash()
                if busy { killedMidWork += 1 }
            }
            // Let the producer finish, then let the daemon finish in peace.
            try waitUntil("the producer is done", timeout: 60) { producer.isFinished }
            try h.start()
            try h.waitUntilDrained(timeout: 120)
            #expect(h.stop() == 0)

            #expect(try h.total() == files * linesPerFile, "kill delays (ms): \(delays)")
            let health = try h.health()
            #expect(health["accepted"] == files * linesPerFile, "health is committed with the counts: \(health)")
            #expect(health["duplicate"] == nil, "a file counted before a crash is recognised by its digest, not recounted")
            #expect(killedMidWork >= 5, "at least half of the kills must land while files were waiting (\(killedMidWork) did)")
        }
    }
}

/// The state database on a small tmpfs that fills up or turns read-only.
extension Integration {
    @Suite(.serialized, .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    struct StorageFailureTests {
        final class TmpfsMount {
            let path: String
            init(path: String, size: String) throws {
                self.path = path
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                try run("/bin/mount", "-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", path)
            }
            func remount(_ options: String) throws { try run("/bin/mount", "-o", "remount,\(options)", path) }
            deinit { _ = try? run("/bin/umount", "-l", path) }
        }

        static func run(_ arguments: String...) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: arguments[0])
            p.arguments = Array(arguments.dropFirst())
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw HarnessError("\(arguments.joined(separator: " ")) failed") }
        }

        func batch(_ h: DaemonHarness, files: Int, lines: Int, prefix: String) throws {
            for i in 0..<files {
                try h.drop((0..<lines).map { _ in Lines.signal() }.joined(separator: "\n") + "\n", name: "\(prefix)\(i)")
            }
        }

        @Test func aFullDiskDegradesAndRecoversWithTheExactCount() throws {
            let scratch = try TemporaryDirectory()
            let state = scratch.url.path + "/state"
            // Room for the first batch's buckets, signal keys and pupil
            // rows (one per signal here: every line has its own subject),
            // with their write-ahead log: 10,000 pupils need ~2 MiB.
            let mount = try TmpfsMount(path: state, size: "6m")
            let h = try DaemonHarness(spool: "", stateDirectory: state)
            try h.prepareSpool()
            try h.start()
            try batch(h, files: 5, lines: 20, prefix: "before")
            try waitUntil("the first signals are counted", timeout: 20) { (try? h.total()) == 100 }

            // Fill the tmpfs to the last byte.
            let filler = state + "/filler"
            let fd = open(filler, O_WRONLY | O_CREAT, 0o600)
            let chunk = [UInt8](repeating: 0x55, count: 65_536)
            while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
            close(fd)

            try batch(h, files: 200, lines: 50, prefix: "during")
            try waitUntil("the daemon reports degraded", timeout: 30) { h.log.contains("degraded:") }
            #expect(h.process?.isRunning == true, "the daemon stays up")
            #expect(try h.total() == 100, "nothing of the failed batch was counted")
            #expect(!h.entries("new").isEmpty, "claiming stopped: files wait in new/")

            unlink(filler)
            try waitUntil("the daemon resumes", timeout: 90) { h.log.contains("resumed:") }
            try h.waitUntilDrained(timeout: 60)
            #expect(h.stop() == 0)
            #expect(try h.total() == 100 + 200 * 50)
            withExtendedLifetime(mount) {}
        }

        @Test func aReadOnlyStateFolderDegradesAndRecovers() throws {
            let scratch = try TemporaryDirectory()
            let state = scratch.url.path + "/state"
            let mount = try TmpfsMount(path: state, size: "16m")
            let h = try DaemonHarness(spool: "", stateDirectory: state)
            try h.prepareSpool()
            try h.start()
            try batch(h, files: 2, lines: 10, prefix: "before")
            try waitUntil("the first signals are counted", timeout: 20) { (try? h.total()) == 20 }
            #expect(h.stop() == 0)

            // A file system cannot turn read-only under an open writer, so the
            // daemon starts on one that already is.
            try mount.remount("ro")
            try h.start()
            try batch(h, files: 20, lines: 10, prefix: "during")
            try waitUntil("the daemon reports degraded", timeout: 30) { h.log.contains("degraded:") }
            #expect(h.process?.isRunning == true, "the daemon stays up")
            #expect(h.log.contains("read_only"), "the log says why: \(h.log)")
            #expect(!h.entries("new").isEmpty, "files wait in new/")

            try mount.remount("rw")
            try waitUntil("the daemon resumes", timeout: 90) { h.log.contains("resumed:") }
            try h.waitUntilDrained(timeout: 60)
            #expect(h.stop() == 0)
            #expect(try h.total() == 20 + 200)
        }
    }
}
