// IngestService — the ingest loop as a swift-service-lifecycle Service.
//
// The loop blocks (rename, read, SQLite, poll), so it runs on a thread of
// its own; graceful shutdown (SIGTERM/SIGINT) asks it to stop after the
// batch in hand, and run() returns once it has.
import Logging
import ServiceLifecycle
import Foundation

public struct IngestService: Service {
    let loop: IngestLoop
    /// Called as soon as shutdown begins (STOPPING=1).
    let onShutdown: @Sendable () -> Void

    public init(loop: IngestLoop, onShutdown: @escaping @Sendable () -> Void = {}) {
        self.loop = loop
        self.onShutdown = onShutdown
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let loop = self.loop
                let thread = Thread {
                    loop.run()
                    done.resume()
                }
                thread.name = "vertrouwd-ingest"
                thread.start()
            }
        } onGracefulShutdown: {
            onShutdown()
            loop.stop()
        }
    }
}
