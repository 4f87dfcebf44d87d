#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A vocabulary prepared for the ingest hot path: looks a decoded byte string
/// up without allocating and hands back the configured `String` itself, so an
/// accepted signal shares its storage with the configuration, with what the
/// PII gate says of it.
///
/// Why hashed: a school's sites (or the benchmark's 250) often share one
/// length, and a scan of the entries of that length compared each in turn
/// (about 4% of ingest's helper thread, `make bench` 8). Why the gate's
/// verdict is kept: a configured value is the same bytes in every signal,
/// and `PIIGate.scan` is a pure function of the bytes and its two flags,
/// so scanning it again per signal could only give the same answer; the
/// answer is worked out once here, with the flags the validator uses for
/// a vocabulary value (the digits rule on, the bare-domain rule off).
struct ByteVocabulary: Sendable {
    /// A configured value, its number (its place in `values`) and the
    /// gate's verdict on it.
    struct Match: Sendable {
        var value: String
        var number: UInt32
        var pii: PIIDetector?
    }

    private struct Entry: Sendable {
        var start: Int
        var count: Int
        var match: Match
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// The distinct values, in the order given: a `Match`'s number is its
    /// place here.
    private(set) var values: [String] = []
    /// Open addressing: an entry's position + 1, or 0 for an empty slot.
    private var slots: [Int32]
    private let mask: Int

    init(_ values: some Sequence<String>) {
        var seen = Set<String>()
        for value in values where seen.insert(value).inserted {
            let utf8 = Array(value.utf8)
            let pii = utf8.withUnsafeBytes { PIIGate.scan($0, digitsRule: true, isVocabularyValue: true) }
            entries.append(Entry(start: bytes.count, count: utf8.count,
                                 match: Match(value: value, number: UInt32(self.values.count), pii: pii)))
            self.values.append(value)
            bytes.append(contentsOf: utf8)
        }
        var size = 8
        while size < 2 * entries.count { size <<= 1 }
        mask = size - 1
        slots = [Int32](repeating: 0, count: size)
        bytes.withUnsafeBytes { all in
            for (i, entry) in entries.enumerated() {
                var slot = Self.hash(UnsafeRawBufferPointer(rebasing: all[entry.start..<entry.start + entry.count])) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(i + 1)
            }
        }
    }

    /// The configured value equal to `text`, with the gate's verdict, or nil.
    func lookup(_ text: UnsafeRawBufferPointer) -> Match? {
        var slot = Self.hash(text) & mask
        return bytes.withUnsafeBytes { all -> Match? in
            while true {
                let n = Int(slots[slot])
                if n == 0 { return nil }
                let entry = entries[n - 1]
                if entry.count == text.count,
                   entry.count == 0 || memcmp(all.baseAddress! + entry.start, text.baseAddress!, entry.count) == 0 {
                    return entry.match
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private static func hash(_ text: UnsafeRawBufferPointer) -> Int {
        Int(truncatingIfNeeded: ByteHash.hash(text))
    }
}
