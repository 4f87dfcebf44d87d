import Foundation
import Logging
import VertrouwdCore
import VertrouwdSpool
import VertrouwdStore

extension IngestLoop {
    /// Counts everything waiting: first what an earlier run claimed (cur/),
    /// then new/, again until new/ is empty. Returns `drained`, or the
    /// failure that stopped progress.
    ///
    /// `heartbeat` is called after every batch (the watchdog, while a large
    /// backlog is worked off). A drain that finds nothing to do logs
    /// "pass done: ingest" once; one that counts logs it per batch.
    func drain(_ store: some StateStore, heartbeat: () -> Void) -> Scheduler.Event {
        var total = 0
        var folders: [SpoolDirectory.Folder] = [.cur, .new]
        while let folder = folders.first, !interrupted {
            let names: [String]
            do {
                let skip = stuck.withLock { $0 }
                names = try spool.pending(folder).filter { !skip.contains($0) }
            } catch {
                return .failed(reason: "cannot list the spool: \(error)")
            }
            if names.isEmpty {
                folders.removeFirst()
                continue
            }
            // Two stages: while one batch commits (SQLite, fsync, unlink),
            // a helper claims, reads and parses the next one — the two
            // cores of a small server both work on a backlog.
            var handled = 0
            // The first batch is small: nothing overlaps its gathering.
            var pending: Pending? = Pending(self, names, from: 0, folder: folder,
                                            bytes: min(limits.firstBatchBytes, limits.batchBytes), store: store)
            while let current = pending?.wait() {
                pending = nil
                if !interrupted, current.problem == nil, current.next < names.count {
                    pending = Pending(self, names, from: current.next, folder: folder, bytes: limits.batchBytes, store: store)
                }
                heartbeat()
                switch settle(current, store: store) {
                case .stopped(let failure):
                    // What the helper claimed meanwhile waits in cur/.
                    _ = pending?.wait()
                    return failure
                case .done(let count):
                    handled += count
                    total += count
                }
            }
            if interrupted { return .drained }
            // cur/ is worked through once; new/ again while it keeps
            // filling, but not when a pass could take nothing from it.
            if folder == .cur || handled == 0 { folders.removeFirst() }
        }
        if total == 0, !interrupted {
            logger.debug("pass done: ingest", metadata: [
                "event": "pass_done", "pass": "ingest", "files": "\(configuration.privacy.shown(0))",
            ])
        }
        return .drained
    }

    /// A batch being gathered on a helper thread.
    final class Pending: @unchecked Sendable {
        // Written once by the helper before `done` is signalled, read
        // only after waiting on it.
        private var result: Gathered?
        private let done = DispatchSemaphore(value: 0)

        init(_ loop: IngestLoop, _ names: [String], from start: Int, folder: SpoolDirectory.Folder, bytes: Int,
             store: some StateStore) {
            IngestLoop.helper.async {
                self.result = loop.gather(names, from: start, folder: folder, bytes: bytes, store: store)
                self.done.signal()
            }
        }

        func wait() -> Gathered? {
            done.wait()
            done.signal() // a second wait returns at once
            return result
        }
    }

    /// Where batches are gathered ahead of the commit.
    static let helper = DispatchQueue(label: "vertrouwd-ingest-gather")
}
