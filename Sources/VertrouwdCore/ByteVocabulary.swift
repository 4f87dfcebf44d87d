import Foundation

/// A vocabulary prepared for the ingest hot path: looks a decoded byte string
/// up without allocating and hands back the configured `String` itself, so an
/// accepted signal shares its storage with the configuration.
struct ByteVocabulary: Sendable {
    private struct Entry: Sendable {
        var start: Int
        var count: Int
        var value: String
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []

    init(_ values: some Sequence<String>) {
        for value in values {
            let utf8 = Array(value.utf8)
            entries.append(Entry(start: bytes.count, count: utf8.count, value: value))
            bytes.append(contentsOf: utf8)
        }
    }

    /// The configured value equal to `text`, or nil.
    func lookup(_ text: UnsafeRawBufferPointer) -> String? {
        guard let base = text.baseAddress else {
            return entries.first { $0.count == 0 }?.value
        }
        return bytes.withUnsafeBytes { all -> String? in
            for entry in entries where entry.count == text.count {
                if entry.count == 0 { return entry.value }
                if memcmp(all.baseAddress! + entry.start, base, entry.count) == 0 { return entry.value }
            }
            return nil
        }
    }

    func contains(_ text: UnsafeRawBufferPointer) -> Bool { lookup(text) != nil }
}
