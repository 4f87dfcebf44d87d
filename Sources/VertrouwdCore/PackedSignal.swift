// PackedSignal — an accepted signal as ingest keeps it: its vocabulary
// values by number, its `id` and `subject` as bytes in the file's text.
//
// Why: a `Signal` holds seven strings. Building one per line copied and
// released each of them, allocated the id and the subject, and the batch
// builder then hashed the strings again to number them. Packed, a line
// costs no allocation and the builder numbers a value once per file
// vocabulary, not once per signal (`make bench` 8, Benchmarks/RESULTS.md).
// `Signal` stays the value everything else uses; `SignalVocabulary.signal`
// turns one into the other.

/// One accepted signal, packed (DESIGN §2). Its strings are numbers in a
/// `SignalVocabulary` and byte ranges in a text buffer beside it; on its
/// own it holds nothing a producer wrote but its timestamp, count and
/// severity.
public struct PackedSignal: Hashable, Sendable {
    /// As `Signal.timestamp`.
    public var timestamp: Int64
    /// As `Signal.count`: 1…1000.
    public var count: Int32
    /// Numbers in the vocabulary's `sources` and `categories`.
    public var source: UInt32
    public var category: UInt32
    /// 0 for "unknown", else the value's number in the vocabulary + 1.
    public var site: UInt32
    public var cohort: UInt32
    public var channel: UInt32
    public var severity: Severity
    /// The `id`'s bytes in the text (8…64 of them in a validated line).
    public var idStart: UInt32
    public var idCount: UInt16
    /// The `subject`'s bytes in the text; `subjectCount` is 0 when the
    /// signal has none (a subject has at least 16).
    public var subjectCount: UInt16
    public var subjectStart: UInt32

    /// The `id`'s bytes in `text`.
    @inlinable
    public func id(in text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: text[Int(idStart)..<Int(idStart) + Int(idCount)])
    }

    /// The `subject`'s bytes in `text`, or nil.
    @inlinable
    public func subject(in text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        subjectCount == 0 ? nil : UnsafeRawBufferPointer(rebasing: text[Int(subjectStart)..<Int(subjectStart) + Int(subjectCount)])
    }
}

/// The values packed signals are numbered in: a validator's configured
/// sources and vocabularies, each value once, in config order. One object
/// is shared by every file its validator reads, so a batch builder can
/// tell by identity that it has numbered a vocabulary before.
public final class SignalVocabulary: Sendable {
    public let sources: [String]
    public let categories: [String]
    public let sites: [String]
    public let cohorts: [String]
    public let channels: [String]
    /// By source number: its name's UTF-8 (the de-duplication key hashes it).
    public let sourceBytes: [[UInt8]]
    /// By category number: the severity of a signal that names none.
    let defaultSeverity: [Severity]
    /// By source number: whether its signals must carry a `subject`.
    let subjectRequired: [Bool]

    public init(sources: [String], categories: [String], sites: [String], cohorts: [String], channels: [String],
                subjectRequired: Set<String> = []) {
        self.sources = sources
        self.categories = categories
        self.sites = sites
        self.cohorts = cohorts
        self.channels = channels
        sourceBytes = sources.map { Array($0.utf8) }
        defaultSeverity = categories.map(Taxonomy.defaultSeverity(of:))
        self.subjectRequired = sources.map(subjectRequired.contains)
    }

    /// The signal `packed` stands for; its id and subject are in `text`.
    public func signal(_ packed: PackedSignal, text: [UInt8]) -> Signal {
        text.withUnsafeBytes { text in
            Signal(id: String(decoding: packed.id(in: text), as: UTF8.self), timestamp: packed.timestamp,
                   source: sources[Int(packed.source)], category: categories[Int(packed.category)],
                   site: Self.value(sites, packed.site), cohort: Self.value(cohorts, packed.cohort),
                   channel: Self.value(channels, packed.channel), severity: packed.severity, count: Int(packed.count),
                   subject: packed.subject(in: text).map { String(decoding: $0, as: UTF8.self) })
        }
    }

    private static func value(_ values: [String], _ number: UInt32) -> String? {
        number == 0 ? nil : values[Int(number) - 1]
    }

    /// `signals` packed in a vocabulary of their own values (tests, and
    /// callers that hold `Signal`s rather than a spool file).
    public static func pack(_ signals: [Signal]) -> (vocabulary: SignalVocabulary, signals: [PackedSignal], text: [UInt8]) {
        var tables = [[String]](repeating: [], count: 5)
        var numbers = [[String: UInt32]](repeating: [:], count: 5)
        func number(_ value: String, _ table: Int) -> UInt32 {
            if let n = numbers[table][value] { return n }
            let n = UInt32(tables[table].count)
            tables[table].append(value)
            numbers[table][value] = n
            return n
        }
        func optional(_ value: String?, _ table: Int) -> UInt32 {
            value.map { number($0, table) + 1 } ?? 0
        }
        var text: [UInt8] = []
        var packed: [PackedSignal] = []
        packed.reserveCapacity(signals.count)
        for s in signals {
            let idStart = UInt32(text.count)
            text.append(contentsOf: s.id.utf8)
            let subjectStart = UInt32(text.count)
            if let subject = s.subject { text.append(contentsOf: subject.utf8) }
            packed.append(PackedSignal(
                timestamp: s.timestamp, count: Int32(s.count), source: number(s.source, 0), category: number(s.category, 1),
                site: optional(s.site, 2), cohort: optional(s.cohort, 3), channel: optional(s.channel, 4),
                severity: s.severity, idStart: idStart, idCount: UInt16(s.id.utf8.count),
                subjectCount: UInt16(s.subject?.utf8.count ?? 0), subjectStart: subjectStart))
        }
        let vocabulary = SignalVocabulary(sources: tables[0], categories: tables[1], sites: tables[2], cohorts: tables[3],
                                          channels: tables[4])
        return (vocabulary, packed, text)
    }
}
