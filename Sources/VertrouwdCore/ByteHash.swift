/// A fast non-cryptographic hash of a byte string, for the hash tables of
/// the ingest hot path (`ByteVocabulary` here, `Numbering` in the store):
/// the bytes eight at a time, each word multiplied in (a subject is 16–64
/// bytes: byte by byte was 1.5% of the helper thread, `make bench` 8).
/// Not keyed: a producer who aimed collisions at it could only slow a
/// lookup (the tables probe linearly and compare whole keys), never
/// change what is found.
public enum ByteHash {
    @inlinable
    public static func hash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: raw.count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
            i += 8
        }
        var last: UInt64 = 0
        while i < raw.count {
            last = last << 8 | UInt64(raw[i])
            i += 1
        }
        hash = (hash ^ last) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 32)
    }
}
