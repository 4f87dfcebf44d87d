// ThreadService — a blocking socket server (the submit socket, the control
// socket) as a Service: serves on a thread of its own until graceful
// shutdown.
import Foundation
import ServiceLifecycle

public struct ThreadService: Service {
    let name: String
    let serve: @Sendable () -> Void
    let stop: @Sendable () -> Void

    public init(name: String, serve: @escaping @Sendable () -> Void, stop: @escaping @Sendable () -> Void) {
        self.name = name
        self.serve = serve
        self.stop = stop
    }

    public func run() async throws {
        let serve = self.serve, name = self.name
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    serve()
                    done.resume()
                }
                thread.name = name
                thread.start()
            }
        } onGracefulShutdown: {
            stop()
        }
    }
}

extension ThreadService {
    /// The submit socket's service.
    public init(submit socket: SubmitSocket) {
        self.init(name: "vertrouwd-submit", serve: { socket.run() }, stop: { socket.stop() })
    }

    /// The control socket's service.
    public init(control socket: ControlSocket) {
        self.init(name: "vertrouwd-control", serve: { socket.run() }, stop: { socket.stop() })
    }
}
