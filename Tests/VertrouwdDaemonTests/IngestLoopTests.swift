import Foundation
import Logging
import Synchronization
import Testing
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdSpool
import VertrouwdStore

#if canImport(Glibc)
import Glibc
#endif

/// A LogHandler that keeps every message, for tests.
final class RecordingLog: Sendable {
    let messages = Mutex<[String]>([])
    /// Called with every message, on the thread that logs it.
    let hook = Mutex<(@Sendable (String) -> Void)?>(nil)

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    func count(containing text: String) -> Int {
        messages.withLock { $0.filter { $0.contains(text) }.count }
    }

    /// Whether a message containing `later` follows the last one containing `earlier`.
    func has(_ later: String, after earlier: String) -> Bool {
        messages.withLock { all in
            guard let last = all.lastIndex(where: { $0.contains(earlier) }) else { return false }
            return all[(last + 1)...].contains { $0.contains(later) }
        }
    }

    struct Handler: LogHandler {
        let log: RecordingLog
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            log.messages.withLock { $0.append("\(event.message)") }
            log.hook.withLock { $0 }?("\(event.message)")
        }
    }
}

/// The ingest loop in-process, on a real spool and store.
@Suite struct IngestLoopTests {
    let root = NSTemporaryDirectory() + "vertrouwd-loop-\(UUID().uuidString)"

    func configuration() throws -> Configuration {
        // The spool's parent must exist: prepare() creates only the spool.
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return try schoolConfiguration(root: root, spool: #"rescan = "1d""#)
    }

    /// Starts the loop on a thread; returns it and a way to wait for its end.
    func start(_ loop: IngestLoop, ended: Ending = Ending()) -> Thread {
        let thread = Thread {
            let result = Result { () throws(StoreError) in try loop.run() }
            ended.result.withLock { $0 = result }
        }
        thread.start()
        return thread
    }

    /// How a loop started by `start` ended.
    final class Ending: Sendable {
        let result = Mutex<Result<Void, StoreError>?>(nil)
    }

    /// Issue 12: a store that a newer vertrouwd migrates while the daemon
    /// runs ends the loop with that error at the next pass (the daemon
    /// exits 78), instead of being retried for ever as degraded.
    @Test func aStoreFromANewerVersionFoundAtAPassEndsTheLoopWithThatError() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try configuration()
        let spool = SpoolDirectory(root: config.spool.path)
        let store = MemoryStore(now: 0)
        let newer = Mutex(false)
        let expected = StoreError(.newerSchema, "\(config.state.path) was written by a newer version of vertrouwd")
        let events = Mutex<[IngestEvent]>([])
        let log = RecordingLog()
        let loop = IngestLoop(configuration: config, logger: log.logger, openStore: { () throws -> any StateStore in
            if newer.withLock({ $0 }) { throw expected }
            return store
        }, onEvent: { event in events.withLock { $0.append(event) } })
        let ended = Ending()
        let thread = start(loop, ended: ended)
        try waitFor { events.withLock { $0.contains(.idle) } }

        // Migrated behind the loop's back; a new file starts a pass.
        newer.withLock { $0 = true }
        _ = try spool.drop(Array("{}\n".utf8))
        try waitFor { thread.isFinished }
        let result = try #require(ended.result.withLock { $0 })
        #expect(throws: expected) { try result.get() }
        #expect(!events.withLock { $0 }.contains { if case .degraded = $0 { true } else { false } }, "not degraded: stopped")
        #expect(log.count(containing: "ingest stopped") == 1)
        #expect(try spool.pending(.new).count == 1, "the file waits for a version that can count it")
    }

    @Test func aBrokenQuarantineNeitherSpinsNorRecountsAndStopIsPrompt() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try configuration()
        let spool = SpoolDirectory(root: config.spool.path)
        let log = RecordingLog()
        let ready = Mutex(false)
        let loop = IngestLoop(configuration: config, logger: log.logger, onEvent: { event in
            if event == .ready { ready.withLock { $0 = true } }
            if event == .idle { log.messages.withLock { $0.append("event: idle") } }
        })
        let thread = start(loop)
        try waitFor { ready.withLock { $0 } }

        // Now the quarantine becomes a file, so nothing can be set aside.
        rmdir(spool.quarantinePath)
        FileManager.default.createFile(atPath: spool.quarantinePath, contents: Data())
        // A directory in cur/ (it can be neither quarantined nor unlinked),
        // an entry of the same name in new/ (it cannot be claimed), and a
        // symlink (it cannot be quarantined but can be deleted).
        try FileManager.default.createDirectory(atPath: spool.curPath + "/same", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: spool.curPath + "/same/inner", contents: Data("x".utf8))
        FileManager.default.createFile(atPath: spool.newPath + "/same", contents: Data())
        #expect(symlink("/etc/passwd", spool.newPath + "/link") == 0)
        try waitFor { log.count(containing: "cannot quarantine") >= 2 }
        // The pass that met them ends and the loop waits; then it is
        // stopped, so what is asserted below can no longer change.
        try waitFor { log.has("event: idle", after: "cannot quarantine") }
        #expect(log.has("pass done: ingest", after: "cannot quarantine"))
        let asked = Date()
        loop.stop()
        try waitFor { thread.isFinished }
        #expect(Date().timeIntervalSince(asked) < 2, "an idle loop stops at once")

        let store = try SignalStore(path: config.state.path, now: 0)
        let day = LocalDay.string(for: Int64(Date().timeIntervalSince1970), in: config.school.timeZone)
        let health = try store.health(day: day)[""] ?? [:]
        #expect(health["file_directory"] == 1, "the stuck directory is counted once, not once per pass: \(health)")
        #expect(health["file_symlink"] == 1)
        #expect(access(spool.newPath + "/link", F_OK) != 0 && access(spool.curPath + "/link", F_OK) != 0, "the symlink was deleted")
        // No busy loop: one attempt per entry, and the name stuck in cur/
        // also keeps its twin in new/ waiting, untouched.
        #expect(log.count(containing: "cannot quarantine") == 2, "\(log.messages.withLock { $0 })")
        #expect(log.count(containing: "cannot claim a spool file") == 0)
        #expect(FileManager.default.fileExists(atPath: spool.newPath + "/same"))
        #expect(FileManager.default.fileExists(atPath: "/etc/passwd"), "the symlink's target is untouched")
        // One pass at start, and at most one for each of the two entries
        // put in new/: a loop that spun would have made many more.
        #expect(log.count(containing: "event: idle") <= 3, "no busy loop")
    }

    @Test func signalsAreCountedAndTheLoopStopsAfterTheBatchInHand() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try configuration()
        let spool = SpoolDirectory(root: config.spool.path)
        try spool.prepare()
        let now = Int64(Date().timeIntervalSince1970)
        let ts = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now - 60)))
        for i in 0..<20 {
            let line = #"{"v":1,"id":"loop-\#(i)-abcdef","ts":"\#(ts)","source":"webfilter","category":"grooming","count":3}"#
            _ = try spool.drop(Array((line + "\n").utf8))
        }
        let log = RecordingLog()
        let loop = IngestLoop(configuration: config, logger: log.logger)
        let thread = start(loop)
        try waitFor { (try? spool.pending(.new).isEmpty) == true && (try? spool.pending(.cur).isEmpty) == true }
        loop.stop()
        try waitFor { thread.isFinished }
        #expect(try SignalStore(path: config.state.path, now: 0).totalSignals() == 60)
        #expect(log.count(containing: "accepted <5") == 20, "each file is logged, its count shown as <k")
        #expect(log.count(containing: "ingest stopped") == 1)
    }

    /// Issue 12: a reload (SIGHUP) reaches the running loop as the
    /// scheduler's `reload` event. In the middle of a drain it loses
    /// nothing, and the loop goes on: one loop, one READY, no restart.
    @Test func aReloadInTheMiddleOfADrainLosesNothingAndKeepsTheLoop() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try configuration()
        let spool = SpoolDirectory(root: config.spool.path)
        try spool.prepare()
        let ts = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Date().timeIntervalSince1970 - 60))
        func line(_ id: String, source: String = "webfilter") -> String {
            #"{"v":1,"id":"\#(id)-abcdef","ts":"\#(ts)","source":"\#(source)","category":"grooming"}"# + "\n"
        }
        // A backlog of 40 batches of 25 files, in new/ before the start.
        let files = 1_000
        for i in 0..<files {
            let tmp = spool.root + "/tmp/f\(i)"
            try Data(line("backlog-\(i)").utf8).write(to: URL(fileURLWithPath: tmp))
            #expect(rename(tmp, spool.newPath + "/f\(i)") == 0)
        }
        var limits = IngestLoop.Limits()
        limits.batchFiles = 25
        let log = RecordingLog()
        let readies = Mutex(0)
        let loop = IngestLoop(configuration: config, limits: limits, logger: log.logger, onEvent: { event in
            if event == .ready { readies.withLock { $0 += 1 } }
        })
        // A new source, handed in while the backlog is being drained: from
        // the loop's own thread, as its first batch is logged.
        let reloaded = try schoolConfiguration(root: root, spool: #"rescan = "1d""#, extra: "[[source]]\nname = \"nieuwebron\"")
        let handed = Mutex(false)
        log.hook.withLock {
            $0 = { message in
                guard message.contains("pass done: ingest"), !handed.withLock({ h in defer { h = true }; return h }) else { return }
                loop.reload(reloaded)
            }
        }
        let thread = start(loop)
        try waitFor { log.count(containing: "the reloaded configuration is in use") == 1 }
        _ = try spool.drop(Array(line("nieuw", source: "nieuwebron").utf8))
        try waitFor { (try? spool.pending(.new).isEmpty) == true && (try? spool.pending(.cur).isEmpty) == true }
        // The last batch's pass event follows its files out of the spool.
        try waitFor { log.count(containing: "pass done: ingest") >= 41 }

        // The reload came in the middle of the drain: most of the backlog's
        // 40 batches were counted after it, under the new configuration.
        let batchesBefore = log.messages.withLock { all in
            all.prefix { !$0.contains("the reloaded configuration is in use") }.filter { $0.contains("pass done: ingest") }.count
        }
        #expect(batchesBefore < 5, "\(batchesBefore) batches before the reload was taken up")
        #expect(log.count(containing: "pass done: ingest") >= 41)
        #expect(!thread.isFinished, "the same loop runs on")
        #expect(readies.withLock { $0 } == 1, "READY once")
        #expect(log.count(containing: "ingest stopped") == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.quarantinePath).isEmpty, "nothing set aside")
        loop.stop()
        try waitFor { thread.isFinished }
        #expect(log.count(containing: "ingest stopped") == 1)
        #expect(try SignalStore(path: config.state.path, now: 0).totalSignals() == Int64(files + 1), "every signal counted once")
    }

    func waitFor(timeout: TimeInterval = 10, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw CancellationError() }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
