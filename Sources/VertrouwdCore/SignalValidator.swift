#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns one ingest line into a `Signal` or a `SignalRejection`
/// (DESIGN §2): strict JSON decoding, the v1 schema, the configured
/// vocabularies and the PII gate.
///
/// Precedence, so that a rejection is deterministic and a PII hit is never
/// hidden behind another reason:
/// 1. the PII gate (`pii_*`): every key and value is scanned in line order,
///    detectors in `PIIGate` order; a line that cannot be decoded is scanned
///    raw instead (`PIIGate.scanRawLine`);
/// 2. line-level errors: `line_too_long`, `not_utf8`, `not_an_object`,
///    `malformed_json`, `too_deep`, `trailing_data`;
/// 3. the first field error in line order (`unknown_field`,
///    `duplicate_field`, `wrong_type`, a bad value);
/// 4. `missing_field`, for the first of v, id, ts, source, category;
/// 5. `missing_subject`, when the source requires a `subject`.
///
/// A line with a NUL byte (UTF-16 text, or text padded with NULs; raw, or
/// escaped as `\u0000` in a string) is rejected as `nul_byte` before any
/// field is used, after the PII gate has scanned it with the NULs taken
/// out: padding cannot hide a phone number.
///
/// Pure: the clock is the `now` argument, and nothing is logged.
public struct SignalValidator: Sendable {
    public let taxonomy: Taxonomy
    public let sources: [String]
    public let ingest: IngestSettings
    /// Lines longer than this (without the newline) are rejected unread.
    public let maxLineBytes: Int

    /// The default `maxLineBytes`: far above any real signal (~250 bytes).
    public static let defaultMaxLineBytes = 8_192

    /// The numbers a packed signal's values have (`validate(line:now:text:)`),
    /// and which sources must send a `subject` (`[[source]] subjects =
    /// "required"`, the initialiser's `subjectRequired`).
    public let vocabulary: SignalVocabulary

    private let sourceTable: ByteVocabulary
    private let categoryTable: ByteVocabulary
    private let siteTable: ByteVocabulary
    private let cohortTable: ByteVocabulary
    private let channelTable: ByteVocabulary

    public init(taxonomy: Taxonomy, sources: [String], ingest: IngestSettings, maxLineBytes: Int = defaultMaxLineBytes,
                subjectRequired: Set<String> = []) {
        self.taxonomy = taxonomy
        self.sources = sources
        self.ingest = ingest
        self.maxLineBytes = maxLineBytes
        sourceTable = ByteVocabulary(sources)
        categoryTable = ByteVocabulary(taxonomy.categories.values)
        siteTable = ByteVocabulary(taxonomy.sites.values)
        cohortTable = ByteVocabulary(taxonomy.cohorts.values)
        channelTable = ByteVocabulary(taxonomy.channels.values)
        vocabulary = SignalVocabulary(sources: sourceTable.values, categories: categoryTable.values,
                                      sites: siteTable.values, cohorts: cohortTable.values, channels: channelTable.values,
                                      subjectRequired: subjectRequired)
    }

    /// The validator the configuration asks for: its vocabularies, sources
    /// (and which of them require a `subject`) and ingest limits.
    public init(configuration c: Configuration) {
        self.init(taxonomy: c.taxonomy, sources: c.sources, ingest: c.ingest, subjectRequired: c.sourcesRequiringSubject)
    }

    /// Whether a line holds no signal at all (empty, or only spaces, tabs
    /// and a trailing `\r`): the caller skips such lines without counting
    /// them as rejected.
    public static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// `isBlank` for any byte collection.
    public static func isBlank(_ line: some Collection<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// Validates one line, without its `\n`; a trailing `\r` is allowed.
    /// `now` is UTC epoch seconds.
    public func validate(line: UnsafeRawBufferPointer, now: Int64) -> Result<Signal, SignalRejection> {
        var text: [UInt8] = []
        return validate(line: line, now: now, text: &text).map { vocabulary.signal($0, text: text) }
    }

    /// Validates one line as `validate(line:now:)` does, into a packed
    /// signal whose id and subject are appended to `text`. A rejected line
    /// leaves `text` as it was.
    public func validate(line: UnsafeRawBufferPointer, now: Int64, text: inout [UInt8]) -> Result<PackedSignal, SignalRejection> {
        var body = line
        if let last = body.last, last == 0x0D {
            body = UnsafeRawBufferPointer(rebasing: body.dropLast())
        }
        guard body.count <= maxLineBytes else {
            return .failure(rawRejection(body, otherwise: .lineTooLong))
        }
        if let base = body.baseAddress, memchr(base, 0, body.count) != nil {
            let visible = body.filter { $0 != 0 }
            return .failure(visible.withUnsafeBytes { rawRejection($0, otherwise: .nulByte) })
        }
        guard UTF8Validation.isValid(body) else {
            return .failure(rawRejection(body, otherwise: .notUTF8))
        }
        // The accumulator holds the text while the line is decoded (moved,
        // not copied), and hands it back cut to where it was if the line
        // is rejected.
        var fields = FieldAccumulator(now: now, text: [])
        swap(&fields.text, &text)
        let mark = fields.text.count
        defer {
            swap(&fields.text, &text)
        }
        let result = withUnsafeTemporaryAllocation(byteCount: max(body.count, 1), alignment: 1) { scratch -> Result<PackedSignal, SignalRejection> in
            do throws(SignalRejection) {
                // A PII hit comes back as a value: no throw on the hot path.
                if let hit = try decode(body, scratch: scratch, into: &fields) { return .failure(hit) }
            } catch {
                if error.isPII { return .failure(error) }
                return .failure(rawRejection(body, otherwise: error))
            }
            return fields.finish(vocabulary)
        }
        if case .failure = result { fields.text.removeSubrange(mark...) }
        return result
    }

    /// Validates one line given as bytes (`[UInt8]`, `ArraySlice<UInt8>`,
    /// `Data`, …).
    public func validate(line: some Collection<UInt8>, now: Int64) -> Result<Signal, SignalRejection> {
        if let result = line.withContiguousStorageIfAvailable({ validate(line: UnsafeRawBufferPointer($0), now: now) }) {
            return result
        }
        return Array(line).withUnsafeBytes { validate(line: $0, now: now) }
    }

    /// Validates one line given as a `String`.
    public func validate(line: String, now: Int64) -> Result<Signal, SignalRejection> {
        var copy = line
        return copy.withUTF8 { validate(line: UnsafeRawBufferPointer($0), now: now) }
    }

    private func rawRejection(_ body: UnsafeRawBufferPointer, otherwise: SignalRejection) -> SignalRejection {
        PIIGate.scanRawLine(body).map { SignalRejection($0.reason) } ?? otherwise
    }

    private func rawRejection(_ body: UnsafeRawBufferPointer, otherwise reason: RejectReason) -> SignalRejection {
        rawRejection(body, otherwise: SignalRejection(reason))
    }

    /// Decodes the object member by member; returns a PII rejection at the
    /// first hit (thrown instead when it sits inside a nested value) and
    /// throws a line-level rejection when the JSON is broken. Field errors
    /// are recorded in `fields`: a later member may still trip the PII gate.
    private func decode(
        _ body: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer,
        into fields: inout FieldAccumulator
    ) throws(SignalRejection) -> SignalRejection? {
        var decoder = JSONLineDecoder(input: body, scratch: scratch)
        try decoder.beginObject()
        while let key = try decoder.nextKey() {
            let field = SignalField(key: key)
            if let field {
                fields.noteKey(field)
            } else {
                if let hit = PIIGate.scan(key) { return SignalRejection(hit.reason) }
                fields.note(SignalRejection(.unknownField))
            }
            decoder.currentField = field
            let fieldName = field?.name
            let value = try decoder.value { (text: UnsafeRawBufferPointer) throws(SignalRejection) in
                if let hit = PIIGate.scan(text) { throw SignalRejection(hit.reason, field: fieldName) }
            }
            if let hit = check(value, of: field, into: &fields) { return hit }
        }
        try decoder.finish()
        return nil
    }

    /// The PII gate for one top-level value (a hit is returned), then its
    /// schema check (an error is recorded in `fields`).
    private func check(
        _ value: JSONLineDecoder.Value, of field: SignalField?, into fields: inout FieldAccumulator
    ) -> SignalRejection? {
        switch value {
        case .string(let text):
            var vocabulary: ByteVocabulary.Match?
            switch field {
            case .source?: vocabulary = sourceTable.lookup(text)
            case .category?: vocabulary = categoryTable.lookup(text)
            case .site?: vocabulary = siteTable.lookup(text)
            case .cohort?: vocabulary = cohortTable.lookup(text)
            case .channel?: vocabulary = channelTable.lookup(text)
            default: break
            }
            let vocabularyValue = vocabulary?.number
            var timestamp: Int64?
            if field == .ts {
                // A valid RFC 3339 timestamp holds nothing but digits in
                // fixed places: no detector has anything to look at.
                timestamp = RFC3339.epochSeconds(text)
            }
            // A configured value's verdict was worked out once, with these
            // flags (vocabulary fields are not opaque: the digits rule is on).
            if let vocabulary {
                if let hit = vocabulary.pii { return SignalRejection(hit.reason, field: field?.name) }
            } else if timestamp == nil,
                      let hit = PIIGate.scan(text, digitsRule: !(field?.isOpaque ?? false), isVocabularyValue: false) {
                return SignalRejection(hit.reason, field: field?.name)
            }
            guard let field, fields.isFirst(field) else { return nil }
            switch field {
            case .id:
                if Self.isWellFormedID(text) {
                    fields.id = fields.append(text)
                } else {
                    fields.note(SignalRejection(.badID, field: field.name))
                }
            case .ts:
                guard let timestamp else {
                    fields.note(SignalRejection(.badTimestamp, field: field.name))
                    return nil
                }
                if timestamp > fields.now + ingest.maxFuture.seconds {
                    fields.note(SignalRejection(.fromFuture, field: field.name))
                } else if timestamp < fields.now - ingest.maxAge.seconds {
                    fields.note(SignalRejection(.tooOld, field: field.name))
                } else {
                    fields.timestamp = timestamp
                }
            case .source:
                fields.source = vocabularyValue
                if vocabularyValue == nil { fields.note(SignalRejection(.unknownSource, field: field.name)) }
            case .category:
                fields.category = vocabularyValue
                if vocabularyValue == nil { fields.note(SignalRejection(.unknownCategory, field: field.name)) }
            case .site:
                fields.site = vocabularyValue
                if vocabularyValue == nil { fields.note(SignalRejection(.unknownSite, field: field.name)) }
            case .cohort:
                fields.cohort = vocabularyValue
                if vocabularyValue == nil { fields.note(SignalRejection(.unknownCohort, field: field.name)) }
            case .channel:
                fields.channel = vocabularyValue
                if vocabularyValue == nil { fields.note(SignalRejection(.unknownChannel, field: field.name)) }
            case .subject:
                if Self.isWellFormedSubject(text) {
                    fields.subject = fields.append(text)
                } else {
                    fields.note(SignalRejection(.badSubject, field: field.name))
                }
            case .severity:
                if let severity = Self.severity(text) {
                    fields.severity = severity
                } else {
                    fields.note(SignalRejection(.badSeverity, field: field.name))
                }
            case .v, .count:
                fields.note(SignalRejection(.wrongType, field: field.name))
            }
        case .integer(let number, let literal):
            if let hit = PIIGate.scan(literal, digitsRule: !(field?.isOpaque ?? false)) { return SignalRejection(hit.reason, field: field?.name) }
            guard let field, fields.isFirst(field) else { return nil }
            switch field {
            case .v:
                if number == 1 { fields.version = 1 } else { fields.note(SignalRejection(.badVersion, field: field.name)) }
            case .count:
                if let number, Signal.countRange.contains(Int(number)) {
                    fields.count = Int(number)
                } else {
                    fields.note(SignalRejection(.badCount, field: field.name))
                }
            default:
                fields.note(SignalRejection(.wrongType, field: field.name))
            }
        case .number(let literal):
            if let hit = PIIGate.scan(literal, digitsRule: !(field?.isOpaque ?? false)) { return SignalRejection(hit.reason, field: field?.name) }
            guard let field, fields.isFirst(field) else { return nil }
            fields.note(SignalRejection(.wrongType, field: field.name))
        case .bool, .null, .nested:
            guard let field, fields.isFirst(field) else { return nil }
            fields.note(SignalRejection(.wrongType, field: field.name))
        }
        return nil
    }

    /// 8–64 characters of `[A-Za-z0-9._:-]`.
    static func isWellFormedID(_ text: UnsafeRawBufferPointer) -> Bool {
        guard (8...64).contains(text.count) else { return false }
        for b in text {
            guard isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
                || b == UInt8(ascii: "-")
            else { return false }
        }
        return true
    }

    /// 16–64 characters of `[A-Za-z0-9_-]` (base64url or hex of a keyed hash).
    static func isWellFormedSubject(_ text: UnsafeRawBufferPointer) -> Bool {
        guard Signal.subjectLength.contains(text.count) else { return false }
        return text.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func severity(_ text: UnsafeRawBufferPointer) -> Severity? {
        func equals(_ word: StaticString) -> Bool {
            word.utf8CodeUnitCount == text.count && (0..<text.count).allSatisfy { text[$0] == word.utf8Start[$0] }
        }
        if equals("low") { return .low }
        if equals("medium") { return .medium }
        if equals("high") { return .high }
        return nil
    }

    /// What the members of one line said so far, and the first field error.
    /// Vocabulary values are their numbers; the id and subject are byte
    /// ranges in `text`.
    private struct FieldAccumulator {
        let now: Int64
        var text: [UInt8]
        var seen: UInt16 = 0
        var duplicate: UInt16 = 0
        var firstError: SignalRejection?
        var version: Int?
        var id: Range<Int>?
        var timestamp: Int64?
        var source: UInt32?
        var category: UInt32?
        var site: UInt32?
        var cohort: UInt32?
        var channel: UInt32?
        var severity: Severity?
        var count: Int?
        var subject: Range<Int>?

        init(now: Int64, text: [UInt8]) {
            self.now = now
            self.text = text
        }

        /// Keeps `bytes` in the text; where they are.
        mutating func append(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
            let start = text.count
            text.append(contentsOf: bytes)
            return start..<text.count
        }

        mutating func note(_ rejection: SignalRejection) {
            if firstError == nil { firstError = rejection }
        }

        mutating func noteKey(_ field: SignalField) {
            if seen & field.bit != 0 {
                duplicate |= field.bit
                note(SignalRejection(.duplicateField, field: field.name))
            }
            seen |= field.bit
        }

        /// False for the second and later occurrences of a key.
        func isFirst(_ field: SignalField) -> Bool { duplicate & field.bit == 0 }

        func finish(_ vocabulary: SignalVocabulary) -> Result<PackedSignal, SignalRejection> {
            if let firstError { return .failure(firstError) }
            for field in SignalField.required where seen & field.bit == 0 {
                return .failure(SignalRejection(.missingField, field: field.name))
            }
            guard version == 1, let id, let timestamp, let source, let category else {
                preconditionFailure("required fields seen without error but not set")
            }
            if subject == nil, vocabulary.subjectRequired[Int(source)] {
                return .failure(SignalRejection(.missingSubject, field: SignalField.subject.name))
            }
            return .success(PackedSignal(
                timestamp: timestamp, count: Int32(count ?? 1), source: source, category: category,
                site: site.map { $0 + 1 } ?? 0, cohort: cohort.map { $0 + 1 } ?? 0, channel: channel.map { $0 + 1 } ?? 0,
                severity: severity ?? vocabulary.defaultSeverity[Int(category)],
                idStart: UInt32(id.lowerBound), idCount: UInt16(id.count),
                subjectCount: UInt16(subject?.count ?? 0), subjectStart: UInt32(subject?.lowerBound ?? 0)))
        }
    }
}
