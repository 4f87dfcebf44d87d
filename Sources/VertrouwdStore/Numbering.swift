// Numbering — distinct keys numbered in order of first sight, for
// `PreparedBatch.Builder`.
//
// Why not a Dictionary: a batch looks up every signal's bucket, five text
// values, its source and its hour, and a Dictionary lookup seeds and runs
// SipHash each time. That was about a tenth of the helper thread's time in
// `make bench` 8a (perf: `Hasher._seed`, `_copyOrMoveAndResize`, `find`).
// Here a key is hashed by a multiply-and-shift over its bits and found by
// linear probing in a table of positions at most half full.
//
// The hash is not keyed. The keys are values the batch itself numbered
// (bucket fields), hours of an accepted signal, and vocabulary words
// checked against the config, so a producer cannot choose many keys that
// collide; a collision costs a probe, never a wrong number.
import VertrouwdCore

/// A key `Numbering` can hold: equality, and a 64-bit hash of its bits.
protocol NumberingKey: Equatable {
    var numberingHash: UInt64 { get }
}

/// Keys numbered 0, 1, 2… in the order they were first seen.
struct Numbering<Key: NumberingKey> {
    /// By number: the key.
    private(set) var keys: [Key] = []
    /// A power of two of slots, each -1 or a number.
    private var slots: [Int32]
    private var shift: UInt64

    init(capacity: Int = 16) {
        var bits: UInt64 = 4
        while (1 << bits) < capacity * 2 { bits += 1 }
        slots = [Int32](repeating: -1, count: 1 << bits)
        shift = 64 - bits
    }

    var count: Int { keys.count }

    /// The number of `key`, and whether it was new.
    @inline(__always)
    mutating func number(_ key: Key) -> (number: Int32, isNew: Bool) {
        let (slot, found) = probe(key)
        if let found { return (found, false) }
        let n = Int32(keys.count)
        keys.append(key)
        slots[slot] = n
        if keys.count * 2 > slots.count { grow() }
        return (n, true)
    }

    /// The number of `key`, if it was seen.
    func find(_ key: Key) -> Int32? {
        probe(key).number
    }

    /// Where `key` is, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: Key) -> (slot: Int, number: Int32?) {
        let mask = slots.count - 1
        var slot = slot(of: key)
        while true {
            let n = slots[slot]
            if n < 0 { return (slot, nil) }
            if keys[Int(n)] == key { return (slot, n) }
            slot = (slot + 1) & mask
        }
    }

    /// Fibonacci hashing: the top bits of the hash times 2^64/φ.
    @inline(__always)
    private func slot(of key: Key) -> Int {
        Int(truncatingIfNeeded: (key.numberingHash &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private mutating func grow() {
        shift -= 1
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (n, key) in keys.enumerated() {
            var slot = slot(of: key)
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(n)
        }
    }
}

extension Int64: NumberingKey {
    var numberingHash: UInt64 { UInt64(bitPattern: self) }
}

extension String: NumberingKey {
    /// Its UTF-8 bytes' `ByteHash`.
    var numberingHash: UInt64 {
        var text = self
        return text.withUTF8 { ByteHash.hash(UnsafeRawBufferPointer($0)) }
    }
}

/// One more field mixed into a key's hash (`Bucket`, `ProfileKey`).
@inline(__always) private func mix(_ hash: UInt64, _ field: UInt32) -> UInt64 {
    let h = (hash ^ UInt64(field)) &* 0xBF58_476D_1CE4_E5B9
    return h ^ (h >> 31)
}

extension PreparedBatch.Bucket: NumberingKey {
    var numberingHash: UInt64 {
        mix(mix(mix(mix(mix(UInt64(bitPattern: hour), category), site), cohort), channel), severity)
    }
}

extension ProfileKey: NumberingKey {
    var numberingHash: UInt64 {
        mix(mix(mix(mix(0x9E37_79B9_7F4A_7C15, category), site), cohort), channel)
    }
}
