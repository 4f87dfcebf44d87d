// SubmitService — the submit socket as a Service: serves on a thread of
// its own until graceful shutdown.
import Foundation
import ServiceLifecycle

public struct SubmitService: Service {
    let socket: SubmitSocket

    public init(socket: SubmitSocket) {
        self.socket = socket
    }

    public func run() async throws {
        let socket = self.socket
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    socket.run()
                    done.resume()
                }
                thread.name = "vertrouwd-submit"
                thread.start()
            }
        } onGracefulShutdown: {
            socket.stop()
        }
    }
}
