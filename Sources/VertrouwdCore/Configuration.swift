/// Everything vertrouwd.toml says, decoded and checked: the one value the
/// daemon's services are built from. See CONFIG.md for each key.
public struct Configuration: Hashable, Sendable {
    public var school: SchoolSettings
    public var spool = SpoolSettings()
    public var ingest = IngestSettings()
    public var state = StateSettings()
    public var privacy = PrivacyPolicy()
    public var alerts = AlertSettings()
    public var summary = SummarySettings()
    public var taxonomy: Taxonomy
    /// The producers allowed to drop signals, by name.
    public var sources: [String]
    /// Per source name, what its `[[source]]` table says beyond the name
    /// (absent: the defaults).
    public var sourceSettings: [String: SourceSettings] = [:]
    public var rules: [Rule]
    public var recipients: [Recipient]
    public var delivery = DeliverySettings()
    public var submit = SubmitSettings()
    /// `[helppage]`, or nil when the file has none (issue 14, h14-help).
    public var helpPage: HelpPageSettings?
    /// `[[adapter]]`: filter logs that `vertrouwd adapt` turns into signals.
    public var adapters: [AdapterSettings] = []
    /// `[calendar]`: the school's holidays and days off (issue 15 §2, s6-calendar).
    public var calendar = SchoolCalendar()
    /// `[advice]`: the school's contacts and corrections to the shipped
    /// advice (issue 15 §3, s6-summary).
    public var advice = AdviceSettings()

    public init(
        school: SchoolSettings, taxonomy: Taxonomy, sources: [String],
        rules: [Rule], recipients: [Recipient]
    ) {
        self.school = school
        self.taxonomy = taxonomy
        self.sources = sources
        self.rules = rules
        self.recipients = recipients
    }
}
