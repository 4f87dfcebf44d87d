// SipHash — SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein, the
// reference implementation's `siphash(…, outlen = 16)`), for the
// de-duplication keys (`DedupKey`).
//
// Why: HMAC-SHA256 through swift-crypto cost about 1 µs a signal, most of
// it copying hash states, and was the largest single part of preparing a
// batch (`make bench` 8a, perf). SipHash is a keyed pseudorandom function
// built for short inputs: about 50 ns here. Like the HMAC it replaces, its
// tags cannot be checked against guessed ids without the key.
//
// Checked against the reference's `vectors_sip128` in SipHashTests.

/// SipHash-2-4 under one 128-bit key, with a 128-bit tag.
struct SipHash128: Sendable {
    let k0: UInt64
    let k1: UInt64

    /// `key`: 16 bytes, read as two little-endian words.
    init(key: some Collection<UInt8>) {
        precondition(key.count == 16, "a SipHash key is 16 bytes")
        let bytes = Array(key)
        k0 = Self.word(bytes, at: 0)
        k1 = Self.word(bytes, at: 8)
    }

    /// The tag of `message`: the reference's 16 output bytes, as two
    /// little-endian words (`low` holds bytes 0–7).
    func tag(_ message: UnsafeRawBufferPointer) -> (low: UInt64, high: UInt64) {
        var state = State(k0: k0, k1: k1)
        let whole = message.count & ~7
        var offset = 0
        while offset < whole {
            state.absorb(message.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
            offset += 8
        }
        var last = UInt64(truncatingIfNeeded: message.count) << 56
        for i in 0..<(message.count - whole) {
            last |= UInt64(message[whole + i]) << (8 * UInt64(i))
        }
        state.absorb(last)
        return state.finish()
    }

    private static func word(_ bytes: [UInt8], at start: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[start + $1]) << (8 * UInt64($1)) }
    }

    private struct State {
        var v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64

        init(k0: UInt64, k1: UInt64) {
            v0 = 0x736F_6D65_7073_6575 ^ k0
            v1 = 0x646F_7261_6E64_6F6D ^ k1 ^ 0xEE // 0xEE: a 128-bit tag
            v2 = 0x6C79_6765_6E65_7261 ^ k0
            v3 = 0x7465_6462_7974_6573 ^ k1
        }

        @inline(__always)
        mutating func round() {
            v0 &+= v1; v1 = v1.rotated(13); v1 ^= v0; v0 = v0.rotated(32)
            v2 &+= v3; v3 = v3.rotated(16); v3 ^= v2
            v0 &+= v3; v3 = v3.rotated(21); v3 ^= v0
            v2 &+= v1; v1 = v1.rotated(17); v1 ^= v2; v2 = v2.rotated(32)
        }

        /// Two compression rounds per word.
        @inline(__always)
        mutating func absorb(_ m: UInt64) {
            v3 ^= m
            round(); round()
            v0 ^= m
        }

        /// Four finalisation rounds per output word.
        mutating func finish() -> (low: UInt64, high: UInt64) {
            v2 ^= 0xEE
            round(); round(); round(); round()
            let low = v0 ^ v1 ^ v2 ^ v3
            v1 ^= 0xDD
            round(); round(); round(); round()
            return (low, v0 ^ v1 ^ v2 ^ v3)
        }
    }
}

private extension UInt64 {
    @inline(__always)
    func rotated(_ bits: UInt64) -> UInt64 { (self << bits) | (self >> (64 - bits)) }
}
