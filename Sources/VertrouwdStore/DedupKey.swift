// DedupKey — how a signal is remembered for de-duplication: a keyed hash
// of its source and id, never the id itself (DESIGN §4, P3).
//
// Security stance: the keys are derived from the store's install key
// (`meta.dedup_key`, 32 random bytes); without it a stored hash cannot be
// checked against guessed ids.
import Crypto
import Foundation
import VertrouwdCore

/// The keyed hash a signal is remembered by: 128 bits of a keyed hash of
/// source ‖ 0 ‖ id, laid out as the 16 bytes stored. The id itself is
/// never stored; without the key the hash cannot be checked against
/// guesses.
struct DedupKey: Hashable, Sendable, Comparable {
    var high: UInt64
    var low: UInt64

    /// The 16 bytes as stored: `high`'s in memory, then `low`'s.
    init(bytes: UnsafeRawBufferPointer) {
        high = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        low = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    }

    /// memcmp order of the stored bytes.
    static func < (a: DedupKey, b: DedupKey) -> Bool {
        (a.high.bigEndian, a.low.bigEndian) < (b.high.bigEndian, b.low.bigEndian)
    }
}

/// Which keyed hash remembers a signal (schema v9): SipHash-2-4-128 for
/// hours from `sipFromHour` on, HMAC-SHA256 before it, both under keys of
/// the store's install key. A signal's hour never changes, so a signal
/// delivered again is always looked up under the key it was stored with.
struct DedupHashing: @unchecked Sendable {
    // @unchecked: HMAC's hash states are values whose storage is copied
    // before any write.
    private let hmac: HMAC<SHA256>
    private let sip: SipHash128
    let sipFromHour: Int64

    init(installKey: Data, sipFromHour: Int64) {
        let key = SymmetricKey(data: installKey)
        hmac = HMAC<SHA256>(key: key)
        // A key of its own for SipHash, derived rather than stored.
        sip = SipHash128(key: Array(HMAC<SHA256>.authenticationCode(for: Array("vertrouwd dedup siphash".utf8), using: key)).prefix(16))
        self.sipFromHour = sipFromHour
    }

    /// The key of the signal with this source and id, in its hour.
    func key(source: UnsafeRawBufferPointer, id: UnsafeRawBufferPointer, hour: Int64) -> DedupKey {
        withUnsafeTemporaryAllocation(byteCount: source.count + 1 + id.count, alignment: 8) { message in
            message.copyMemory(from: source)
            message[source.count] = 0
            UnsafeMutableRawBufferPointer(rebasing: message[(source.count + 1)...]).copyMemory(from: id)
            return key(UnsafeRawBufferPointer(message), hour: hour)
        }
    }

    private func key(_ message: UnsafeRawBufferPointer, hour: Int64) -> DedupKey {
        if hour >= sipFromHour {
            let tag = sip.tag(message)
            var bytes = (tag.low.littleEndian, tag.high.littleEndian) // the reference's output bytes
            return withUnsafeBytes(of: &bytes) { DedupKey(bytes: $0) }
        }
        var mac = hmac // the keyed state is computed once per batch
        mac.update(data: message)
        return mac.finalize().withUnsafeBytes { DedupKey(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<16])) }
    }
}
