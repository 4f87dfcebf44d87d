// SubmitSocket+Refusals — peers turned away because the socket is busy,
// drained by the accept loop itself instead of a thread each.
//
// A refused peer gets its reason line, then end of stream (the write side
// is shut down); what it sends after that is read and thrown away, unseen,
// until it hangs up, `lingerBytes` or `lingerSeconds`. Closing at once
// would turn its next write into EPIPE, and a producer would report
// "broken pipe" instead of the reason (docs/producers.md).
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Refused connections that are being drained, at most `capacity`.
struct RefusedPeers {
    private struct Peer {
        let fd: Int32
        let deadline: UInt64
        var discarded: Int
    }

    private var peers: [Peer] = []
    /// How many may be drained at once; while full, the accept loop leaves
    /// new connections waiting in the listen backlog.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    var isFull: Bool { peers.count >= capacity }

    /// The descriptors to poll for input.
    var descriptors: [Int32] { peers.map(\.fd) }

    /// Answers `text`, shuts down the write side and drains `fd` from now
    /// on; the peer is closed when it is done. `now` is in monotonic
    /// nanoseconds.
    mutating func add(_ fd: Int32, answer text: String, now: UInt64) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let bytes = Array(text.utf8)
        // A fresh connection's send buffer has room for one short line.
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        shutdown(fd, Int32(SHUT_WR))
        peers.append(Peer(fd: fd, deadline: now + UInt64(SubmitSocket.lingerSeconds) * 1_000_000_000, discarded: 0))
    }

    /// How long poll may wait before the next peer's time is up: -1 (for
    /// ever) when there is none.
    func timeoutMilliseconds(now: UInt64) -> Int32 {
        guard let first = peers.map(\.deadline).min() else { return -1 }
        return first <= now ? 0 : Int32(clamping: (first - now) / 1_000_000 + 1)
    }

    /// Reads and discards what the peers in `ready` sent; closes each peer
    /// that hung up, failed, sent `lingerBytes` or ran out of time.
    mutating func drain(ready: Set<Int32>, now: UInt64) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var kept: [Peer] = []
        for var peer in peers {
            var done = now >= peer.deadline
            if !done, ready.contains(peer.fd) {
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(peer.fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
                    guard n > 0 else {
                        done = true
                        break
                    }
                    peer.discarded += n
                    if peer.discarded >= SubmitSocket.lingerBytes {
                        done = true
                        break
                    }
                }
            }
            if done {
                close(peer.fd)
            } else {
                kept.append(peer)
            }
        }
        peers = kept
    }

    /// Closes every peer (the socket stops).
    mutating func closeAll() {
        for peer in peers { close(peer.fd) }
        peers.removeAll()
    }
}
