// IngestService — the ingest loop as a swift-service-lifecycle Service.
//
// The loop blocks (rename, read, SQLite, poll), so it runs on a thread of
// its own; graceful shutdown (SIGTERM/SIGINT) asks it to stop after the
// batch in hand, and run() returns once it has. A reload hands the new
// configuration to the running loop, whose scheduler takes it up after the
// action in hand (the `reload` event): one loop for the daemon's life, and
// the store, and all it holds, stays. A store written by a newer vertrouwd
// ends the loop for good: run() throws that StoreError, and the daemon
// stops with exit status 78.
import Foundation
import Logging
import ServiceLifecycle
import VertrouwdCore
import VertrouwdStore

public final class IngestService: Service, Sendable {
    let loop: IngestLoop
    /// Called as soon as shutdown begins (STOPPING=1).
    let onShutdown: @Sendable () -> Void

    public init(configuration: Configuration, makeLoop: @escaping @Sendable (Configuration) -> IngestLoop,
                onShutdown: @escaping @Sendable () -> Void = {}) {
        self.loop = makeLoop(configuration)
        self.onShutdown = onShutdown
    }

    /// Hands a new configuration to the running loop. Thread-safe.
    public func reload(_ configuration: Configuration) {
        loop.reload(configuration)
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await Self.runOnThread(self.loop)
        } onGracefulShutdown: {
            self.onShutdown()
            self.loop.stop()
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
