/// One accepted, validated signal (DESIGN §2): what a producer reported,
/// reduced to closed-vocabulary values, a UTC instant and a count.
///
/// Every string in it is either a configured vocabulary value or the `id`,
/// which matches `[A-Za-z0-9._:-]{8,64}` and passed the PII gate. The `id` is
/// for de-duplication only: the store keeps a keyed hash of it and nothing
/// ever outputs it (P9).
public struct Signal: Hashable, Sendable {
    /// The producer's id for this signal, for de-duplication only.
    public var id: String
    /// The instant the producer wrote, as UTC epoch seconds (fractional
    /// seconds truncated). The store floors it to the hour (P3).
    public var timestamp: Int64
    /// A configured `[[source]]` name.
    public var source: String
    /// A value of `taxonomy.categories`.
    public var category: String
    /// A value of `taxonomy.sites`, or nil for "unknown".
    public var site: String?
    /// A value of `taxonomy.cohorts`, or nil for "unknown".
    public var cohort: String?
    /// A value of `taxonomy.channels`, or nil for "unknown".
    public var channel: String?
    /// As written, or the category's default (`Taxonomy.defaultSeverity(of:)`).
    public var severity: Severity
    /// How many occurrences this signal stands for: 1…1000 (default 1).
    public var count: Int
    /// The producer's opaque pseudonym of the pupil (`[A-Za-z0-9_-]{16,64}`,
    /// a keyed hash of an account the producer holds), or nil. Like `id` it
    /// passed the PII gate and is never output; it is what k is meant to
    /// count (DESIGN §6 P10).
    public var subject: String?

    /// The range `count` must lie in.
    public static let countRange: ClosedRange<Int> = 1...1000

    public init(
        id: String, timestamp: Int64, source: String, category: String,
        site: String? = nil, cohort: String? = nil, channel: String? = nil,
        severity: Severity, count: Int = 1, subject: String? = nil
    ) {
        self.id = id
        self.timestamp = timestamp
        self.source = source
        self.category = category
        self.site = site
        self.cohort = cohort
        self.channel = channel
        self.severity = severity
        self.count = count
        self.subject = subject
    }

    /// The length a `subject` must have.
    public static let subjectLength: ClosedRange<Int> = 16...64
}
