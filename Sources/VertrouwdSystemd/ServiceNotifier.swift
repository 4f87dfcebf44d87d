// ServiceNotifier — tells the service manager about readiness, reloads,
// shutdown and liveness (sd_notify(3)), with an in-memory twin for tests.
//
// Security stance: the notification socket comes from NOTIFY_SOCKET, set by
// systemd; with NotifyAccess=main only the main process is believed. Without
// NOTIFY_SOCKET nothing is sent and nothing fails: the daemon also runs
// outside systemd. Logs nothing; a failed notification is not an error the
// daemon could act on (systemd notices a missing READY or WATCHDOG itself).
import CSystemd
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Sends readiness and liveness notifications to the service manager.
///
/// Implementations must send all `messages` of one call together (one
/// datagram), in order, and must not fail or block when there is no
/// service manager listening.
public protocol ServiceNotifier: Sendable {
    /// Sends `messages` as one notification; an empty array sends nothing.
    func notify(_ messages: [NotifyMessage])
}

extension ServiceNotifier {
    /// Sends one message.
    public func notify(_ message: NotifyMessage) {
        notify([message])
    }
}

/// Notifies systemd through `sd_notify(0, …)` on NOTIFY_SOCKET.
public struct SystemdNotifier: ServiceNotifier {
    /// A notifier for the socket in NOTIFY_SOCKET (read at each call).
    public init() {}

    /// Sends `messages` with one sd_notify(0, …) call.
    public func notify(_ messages: [NotifyMessage]) {
        // 0 (no NOTIFY_SOCKET) and negative errno results are ignored on
        // purpose; see the file header.
        _ = send(messages)
    }

    /// sd_notify's own result: 0 when there is no NOTIFY_SOCKET, > 0 when
    /// sent, a negative errno on failure. For tests and diagnostics.
    @discardableResult
    public func send(_ messages: [NotifyMessage]) -> Int32 {
        guard !messages.isEmpty else { return 0 }
        return sd_notify(0, NotifyMessage.render(messages))
    }
}

/// Keeps every notification in memory instead of sending it.
public final class RecordingNotifier: ServiceNotifier, @unchecked Sendable {
    // @unchecked: `recorded` is only touched with `lock` held.
    private let lock = NSLock()
    private var recorded: [[NotifyMessage]] = []

    /// An empty recorder.
    public init() {}

    /// Records `messages` as one notification; an empty array is not kept.
    public func notify(_ messages: [NotifyMessage]) {
        guard !messages.isEmpty else { return }
        lock.withLock { recorded.append(messages) }
    }

    /// Each notification sent so far, oldest first (one entry per call).
    public var notifications: [[NotifyMessage]] {
        lock.withLock { recorded }
    }

    /// Every message sent so far, flattened, oldest first.
    public var messages: [NotifyMessage] {
        notifications.flatMap { $0 }
    }
}
