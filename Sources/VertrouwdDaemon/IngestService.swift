// IngestService — the ingest loop as a swift-service-lifecycle Service.
//
// The loop blocks (rename, read, SQLite, poll), so it runs on a thread of
// its own; graceful shutdown (SIGTERM/SIGINT) asks it to stop after the
// batch in hand, and run() returns once it has. A reload swaps the loop:
// the running one stops after its batch and one built from the new
// configuration takes over; the store, and all it holds, stays. A store
// written by a newer vertrouwd ends the loop for good: run() throws that
// StoreError, and the daemon stops with exit status 78.
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VertrouwdCore
import VertrouwdStore

public final class IngestService: Service, Sendable {
    let makeLoop: @Sendable (Configuration) -> IngestLoop
    /// Called as soon as shutdown begins (STOPPING=1).
    let onShutdown: @Sendable () -> Void

    private struct State {
        var loop: IngestLoop
        var pending: Configuration?
        var shuttingDown = false
    }

    private let state: Mutex<State>

    public init(configuration: Configuration, makeLoop: @escaping @Sendable (Configuration) -> IngestLoop,
                onShutdown: @escaping @Sendable () -> Void = {}) {
        self.makeLoop = makeLoop
        self.onShutdown = onShutdown
        self.state = Mutex(State(loop: makeLoop(configuration)))
    }

    /// Swaps in a new configuration: the running loop stops after its
    /// batch and a new one starts. Thread-safe.
    public func reload(_ configuration: Configuration) {
        let loop = state.withLock { s -> IngestLoop in
            s.pending = configuration
            return s.loop
        }
        loop.stop()
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            while true {
                let loop = self.state.withLock { $0.loop }
                try await Self.runOnThread(loop)
                let next = self.state.withLock { s -> IngestLoop? in
                    guard !s.shuttingDown, let configuration = s.pending else { return nil }
                    s.pending = nil
                    s.loop = self.makeLoop(configuration)
                    return s.loop
                }
                if next == nil { break }
            }
        } onGracefulShutdown: {
            self.onShutdown()
            let loop = self.state.withLock { s -> IngestLoop in
                s.shuttingDown = true
                return s.loop
            }
            loop.stop()
        }
    }

    static func runOnThread(_ loop: IngestLoop) async throws(StoreError) {
        let ended = await withCheckedContinuation { (done: CheckedContinuation<Result<Void, StoreError>, Never>) in
            let thread = Thread {
                done.resume(returning: Result { () throws(StoreError) in try loop.run() })
            }
            thread.name = "vertrouwd-ingest"
            thread.start()
        }
        try ended.get()
    }
}
