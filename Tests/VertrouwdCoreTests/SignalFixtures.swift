import VertrouwdCore

/// The small school every signal test validates against.
enum Fixture {
    static let categories = [
        "grooming", "sextortion.threat", "sextortion.payment", "image.request", "image.shared",
        "help_seeking", "distress",
    ]
    static let sites = ["hoofdgebouw", "dependance"]
    static let cohorts: [(value: String, group: String)] = [
        ("klas-1", "onderbouw"), ("klas-2", "onderbouw"), ("klas-3", "onderbouw"),
        ("klas-4", "bovenbouw"), ("klas-5", "bovenbouw"), ("klas-6", "bovenbouw"),
    ]
    static let channels: [(value: String, group: String)] = [
        ("instagram", "social"), ("snapchat", "social"), ("tiktok", "social"),
        ("whatsapp", "messaging"), ("discord", "gaming"), ("game", "gaming"), ("other", "other"),
    ]
    static let sources = ["webfilter", "chatguard", "helpknop"]

    static let taxonomy = Taxonomy(
        categories: Vocabulary(categories), sites: Vocabulary(sites),
        cohorts: Vocabulary(grouped: cohorts), channels: Vocabulary(grouped: channels))

    static let validator = SignalValidator(taxonomy: taxonomy, sources: sources, ingest: IngestSettings())

    /// 2026-11-29T09:20:00Z, five minutes after the DESIGN §2 example.
    static let now: Int64 = 1_795_944_000

    /// The DESIGN §2 example line.
    static let example = #"{"v":1,"id":"01JDQ3X7Z8K2M4N6P8R0T2V4W6","ts":"2026-11-29T10:15:00+01:00","source":"webfilter","category":"sextortion.payment","site":"hoofdgebouw","cohort":"klas-4","channel":"instagram","severity":"high"}"#

    static func validate(_ line: String, now: Int64 = now) -> Result<Signal, SignalRejection> {
        validator.validate(line: line, now: now)
    }

    static func rejection(_ line: String, now: Int64 = now) -> SignalRejection? {
        if case .failure(let r) = validate(line, now: now) { return r }
        return nil
    }

    static func signal(_ line: String, now: Int64 = now) -> Signal? {
        if case .success(let s) = validate(line, now: now) { return s }
        return nil
    }

    /// A minimal valid line with `extra` members appended (each `"k":v`).
    static func line(
        id: String = "\"sig-0001-abcd\"", ts: String = "\"2026-11-29T09:00:00Z\"",
        source: String = "\"chatguard\"", category: String = "\"grooming\"", extra: [String] = []
    ) -> String {
        let members = [#""v":1"#, #""id":\#(id)"#, #""ts":\#(ts)"#, #""source":\#(source)"#, #""category":\#(category)"#] + extra
        return "{" + members.joined(separator: ",") + "}"
    }
}
