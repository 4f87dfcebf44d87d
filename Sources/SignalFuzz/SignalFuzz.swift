// SignalFuzz — libFuzzer entry for the ingest hot path: the JSON line
// decoder, the v1 schema checks and the PII gate.
//
// Every input is validated as one line against a fixed taxonomy. The
// invariants, checked with `precondition` so that libFuzzer reports a crash:
//   (a) an accepted signal holds only vocabulary values, a well-formed id and
//       a count in 1…1000, with a timestamp inside the ingest window;
//   (b) a rejection's description is one of the fixed reason/field texts and
//       contains no 6-byte piece of the input (pieces that are themselves
//       part of those fixed texts excepted).
// It also drives the PII gate's scanners directly over the raw input.
import VertrouwdCore

private let taxonomy = Taxonomy(
    categories: Vocabulary([
        "grooming", "sextortion.threat", "sextortion.payment", "image.request", "image.shared",
        "help_seeking", "distress",
    ]),
    sites: Vocabulary(["hoofdgebouw", "dependance"]),
    cohorts: Vocabulary(grouped: (1...6).map { (value: "klas-\($0)", group: $0 <= 3 ? "onderbouw" : "bovenbouw") }),
    channels: Vocabulary(grouped: [
        ("instagram", "social"), ("snapchat", "social"), ("tiktok", "social"), ("whatsapp", "messaging"),
        ("discord", "gaming"), ("game", "gaming"), ("other", "other"),
    ]))
private let sources = ["webfilter", "chatguard", "helpknop"]
private let ingest = IngestSettings()
private let validator = SignalValidator(taxonomy: taxonomy, sources: sources, ingest: ingest)
/// 2026-11-29T09:20:00Z
private let now: Int64 = 1_795_944_000

private let fieldNames = ["v", "id", "ts", "source", "category", "site", "cohort", "channel", "severity", "count"]

/// Every description a rejection may have.
private let allowedDescriptions: Set<String> = Set(RejectReason.allCases.flatMap { reason in
    [reason.rawValue] + fieldNames.map { "\(reason.rawValue) (field \($0))" }
})

/// Every 6-byte piece of the fixed texts, packed into a word.
private let fixedPieces: Set<UInt64> = Set(allowedDescriptions.flatMap { pieces(of: Array($0.utf8)) })

private func pieces(of bytes: [UInt8]) -> [UInt64] {
    guard bytes.count >= 6 else { return [] }
    return (0...(bytes.count - 6)).map { start in
        bytes[start..<(start + 6)].reduce(0) { $0 << 8 | UInt64($1) }
    }
}

private func isWellFormedID(_ id: String) -> Bool {
    let bytes = Array(id.utf8)
    return (8...64).contains(bytes.count) && bytes.allSatisfy { b in
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func signalFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    _ = PIIGate.scan(input)
    _ = PIIGate.scan(input, digitsRule: false, isVocabularyValue: true)
    _ = PIIGate.scanRawLine(input)
    _ = RFC3339.epochSeconds(input)
    _ = SignalValidator.isBlank(input)

    switch validator.validate(line: input, now: now) {
    case .success(let signal):
        precondition(taxonomy.categories.contains(signal.category))
        precondition(sources.contains(signal.source))
        precondition(signal.site.map(taxonomy.sites.contains) ?? true)
        precondition(signal.cohort.map(taxonomy.cohorts.contains) ?? true)
        precondition(signal.channel.map(taxonomy.channels.contains) ?? true)
        precondition((1...1000).contains(signal.count))
        precondition(isWellFormedID(signal.id))
        precondition(signal.timestamp <= now + ingest.maxFuture.seconds)
        precondition(signal.timestamp >= now - ingest.maxAge.seconds)
    case .failure(let rejection):
        let description = String(describing: rejection)
        precondition(allowedDescriptions.contains(description), "unexpected description")
        let echoed = Set(pieces(of: Array(description.utf8)))
        for piece in pieces(of: Array(input)) where !fixedPieces.contains(piece) {
            precondition(!echoed.contains(piece), "a rejection echoes the input")
        }
    }
    return 0
}
