import Foundation
import VertrouwdCore

/// Turns a parsed document into a `Configuration`, checking every key of
/// CONFIG.md: types, ranges, vocabularies, and the rules that tie sections
/// together (k ≥ 3, min_count ≥ k, a route for every recipient …).
///
/// Pure: it reads no files. Checks that need the file system (secrets file
/// modes) are `ConfigLoader`'s.
public enum ConfigDecoder {
    /// The configuration, or nil when any error was found; all diagnostics
    /// (errors and warnings) either way.
    public static func decode(_ document: ConfigDocument) -> (configuration: Configuration?, diagnostics: [Diagnostic]) {
        let context = DecodeContext(quietAboutMissing: document.hasUnattributedStatements)
        let root = TableReader(document.root, section: "", context: context)
        var decoding = Decoding(context: context, root: root)
        let configuration = decoding.run()
        context.reportUnknownKeys()
        let failed = context.diagnostics.contains { $0.severity == .error }
        return (failed ? nil : configuration, context.diagnostics)
    }
}

/// One decoding run. Sections are read in an order where each check finds
/// what it depends on already decoded (k before rules, routes before
/// recipients).
struct Decoding {
    let context: DecodeContext
    let root: TableReader

    var school = SchoolSettings(name: "", timeZone: TimeZone(identifier: SchoolSettings.defaultTimeZone) ?? .gmt)
    var spool = SpoolSettings()
    var ingest = IngestSettings()
    var state = StateSettings()
    var privacy = PrivacyPolicy()
    var alerts = AlertSettings()
    var summary = SummarySettings()
    var taxonomy = Taxonomy(categories: Vocabulary([]), sites: Vocabulary([]), cohorts: Vocabulary([]), channels: Vocabulary([]))
    /// False when the categories could not be read: rules are then not
    /// checked against them.
    var categoriesKnown = true
    var sources: [String] = []
    var sourceSettings: [String: SourceSettings] = [:]
    var rules: [Rule] = []
    var recipients: [Recipient] = []
    var delivery = DeliverySettings()
    var submit = SubmitSettings()
    var helpPage: HelpPageSettings?
    var adapters: [AdapterSettings] = []
    /// `[calendar]` (issue 15 §2, s6-calendar).
    var calendar = SchoolCalendar()
    /// `[advice]` (issue 15 §3, s6-summary).
    var advice = AdviceSettings()

    init(context: DecodeContext, root: TableReader) {
        self.context = context
        self.root = root
    }

    mutating func run() -> Configuration {
        decodeSchool()
        decodeSpool()
        decodeIngest()
        decodePrivacy()
        decodeAlerts()
        decodeSummary()
        decodeTaxonomy()
        decodeSources()
        decodeRules()
        decodeState()
        decodeDelivery()
        decodeRecipients()
        decodeSubmit()
        decodeHelpPage()
        decodeAdapters()
        decodeCalendar()
        advice = decodeAdvice()  // [advice] (issue 15 §3, s6-summary)
        root.finish()

        var configuration = Configuration(
            school: school, taxonomy: taxonomy, sources: sources, rules: rules, recipients: recipients)
        configuration.sourceSettings = sourceSettings
        configuration.spool = spool
        configuration.ingest = ingest
        configuration.state = state
        configuration.privacy = privacy
        configuration.alerts = alerts
        configuration.summary = summary
        configuration.delivery = delivery
        configuration.submit = submit
        configuration.helpPage = helpPage
        configuration.adapters = adapters
        configuration.calendar = calendar
        configuration.advice = advice  // [advice] (issue 15 §3, s6-summary)
        return configuration
    }

    /// The reader for `[name]`; an absent section (or one that is not a
    /// table, already reported) reads as empty, so defaults apply.
    func section(_ name: String) -> TableReader {
        if let reader = root.table(name) { return reader }
        let empty = ConfigTable(origin: .implicit, position: root.position)
        return TableReader(empty, section: name, context: context, isAbsent: true)
    }

    /// Reports a required key that is missing, unless a syntax error may
    /// have swallowed it.
    func missing(_ key: String, in reader: TableReader, _ why: String? = nil) {
        guard !context.quietAboutMissing, !reader.isAbsent, !reader.has(key) else { return }
        // A misspelling of the key ("nmae") is reported as an unknown key
        // with "did you mean"; a second error for the same typo is noise.
        if reader.table.keys.contains(where: { Suggestion.closest(to: $0, in: [key]) == key }) { return }
        let message = "missing required key \"\(key)\" in \(reader.display)" + (why.map { ": \($0)" } ?? "")
        context.error(at: reader.position, message)
    }

    /// A required section that is absent entirely.
    func missingSection(_ name: String, example: String) {
        guard !context.quietAboutMissing else { return }
        context.error(at: nil, "missing required section [\(name)]", hint: "add it, for example:\n        [\(name)]\n        \(example)")
    }

    // MARK: - Plain sections

    mutating func decodeSchool() {
        let t = section("school")
        if t.isAbsent { missingSection("school", example: "name = \"Voorbeeldcollege\"") }
        if let name = t.string("name") {
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                context.error(at: t.value("name")!, "\"name\" must not be empty")
            } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                context.error(at: t.value("name")!, "\"name\" must not contain control characters")
            } else {
                school.name = name
            }
        } else if !t.isPoisoned("name") {
            missing("name", in: t, "the school's name appears in every message")
        }
        if let zone = t.string("timezone") {
            if let tz = TimeZone(identifier: zone), zone.contains("/") || zone == "UTC" {
                school.timeZone = tz
            } else {
                context.error(at: t.value("timezone")!, "unknown time zone \"\(zone)\"",
                              hint: Suggestion.hint(for: zone, in: TimeZone.knownTimeZoneIdentifiers)
                                ?? "use an IANA name such as \"Europe/Amsterdam\"")
            }
        }
        school.language = t.choice("language", Language.self) ?? school.language
        t.finish()
    }

    mutating func decodeSpool() {
        let t = section("spool")
        spool.path = path(t, "path") ?? spool.path
        spool.maxFileBytes = t.integer("max_file_bytes", in: 1_024...67_108_864) ?? spool.maxFileBytes
        spool.rescan = interval(t, "rescan", in: Interval(seconds: 1)...Interval.days(1)) ?? spool.rescan
        spool.quarantineDays = t.integer("quarantine_days", in: 1...365) ?? spool.quarantineDays
        t.finish()
    }

    mutating func decodeIngest() {
        let t = section("ingest")
        ingest.maxFuture = interval(t, "max_future", in: .zero...Interval.days(1)) ?? ingest.maxFuture
        ingest.maxAge = interval(t, "max_age", in: Interval.hours(1)...Interval.weeks(52)) ?? ingest.maxAge
        let horizon = interval(t, "dedup_horizon", in: Interval.hours(1)...Interval.weeks(53))
        ingest.dedupHorizon = horizon ?? ingest.dedupHorizon
        // A signal re-sent late must still find its first copy's key, or it
        // would be counted twice.
        let needed = ingest.maxAge + ingest.maxFuture
        if ingest.dedupHorizon < needed, !t.isPoisoned("max_age"), !t.isPoisoned("max_future") {
            let at = t.value("dedup_horizon") ?? t.value("max_age")
            context.error(at: at?.position ?? t.position, length: at?.length ?? 1,
                          "\"dedup_horizon\" (\(ingest.dedupHorizon.spelledOut)) must be at least max_age + max_future (\(needed.spelledOut))",
                          hint: "otherwise a signal sent again late could be counted twice")
        }
        t.finish()
    }

    mutating func decodeState() {
        let t = section("state")
        state.path = path(t, "path") ?? state.path
        state.retentionWeeks = t.integer("retention_weeks", in: 1...1_040) ?? state.retentionWeeks
        // Trends and rise baselines read the stored history: keep enough of it.
        let riseWeeks = rules.compactMap { rule -> Int? in
            if case .rise(let baseline, _) = rule.kind { return baseline + 1 }
            return nil
        }
        let needed = max(summary.trendWeeks, riseWeeks.max() ?? 0)
        if state.retentionWeeks < needed, let v = t.value("retention_weeks") {
            context.error(at: v, "\"retention_weeks\" (\(state.retentionWeeks)) must be at least \(needed)",
                          hint: "the summary trend and the rise rules' baselines read that many weeks of history")
        }
        t.finish()
    }

    mutating func decodePrivacy() {
        let t = section("privacy")
        if let k = t.integer("min_group_size") {
            if k < Int64(PrivacyPolicy.smallestGroupSize) {
                context.error(at: t.value("min_group_size")!,
                              "\"min_group_size\" (k) must be at least \(PrivacyPolicy.smallestGroupSize), not \(k)",
                              hint: "smaller groups could single out a pupil")
            } else if k > 1_000 {
                context.error(at: t.value("min_group_size")!, "\"min_group_size\" (k) must be at most 1000, not \(k)")
            } else {
                privacy.minGroupSize = Int(k)
            }
        }
        if let m = t.integer("round_to", in: 1...1_000) {
            // Counts from k up round to at least the smallest multiple of
            // m that is ≥ k; past 2k that overstates a small count wildly
            // (k = 5, round_to = 1000 would show 5 as 1000).
            let k = privacy.minGroupSize
            if m > 2 * k {
                context.error(at: t.value("round_to")!, "\"round_to\" must be at most twice min_group_size (\(2 * k)), not \(m)",
                              hint: "a larger base would publish \(k) as \(m)")
            } else {
                privacy.roundTo = m
            }
        }
        t.finish()
    }

    mutating func decodeAlerts() {
        let t = section("alerts")
        if let every = interval(t, "evaluate_every", in: .zero...Interval.days(1)) {
            if every.seconds > 0, Interval.days(1).seconds % every.seconds != 0 {
                context.error(at: t.value("evaluate_every")!, "\"evaluate_every\" (\(every)) must divide a day evenly",
                              hint: "ticks are aligned to local midnight; use e.g. \"5m\", \"15m\", \"1h\", or \"0s\" for after every batch")
            } else {
                alerts.evaluateEvery = every
            }
        }
        // Issue 13, finding 9: alerts leave at aligned release ticks only.
        if let every = interval(t, "release_every", in: Interval(seconds: 1)...Interval.days(1)) {
            if Interval.days(1).seconds % every.seconds != 0 {
                context.error(at: t.value("release_every")!, "\"release_every\" (\(every)) must divide a day evenly",
                              hint: "release ticks are aligned to local midnight; use e.g. \"15m\", \"30m\" or \"1h\"")
            } else {
                alerts.releaseEvery = every
            }
        }
        t.finish()
    }

    mutating func decodeSummary() {
        let t = section("summary")
        if let text = t.string("schedule") {
            if let schedule = WeeklySchedule(parsing: text) {
                summary.schedule = schedule
            } else {
                context.error(at: t.value("schedule")!, "\"schedule\" is not a weekly time: \"\(text)\"",
                              hint: "write a day (mon, tue, wed, thu, fri, sat, sun) and a 24-hour time, e.g. \"mon 07:30\"")
            }
        }
        summary.trendWeeks = t.integer("trend_weeks", in: 1...52) ?? summary.trendWeeks
        summary.catchUpWeeks = t.integer("catch_up_weeks", in: 0...52) ?? summary.catchUpWeeks
        t.finish()
    }

    mutating func decodeSubmit() {
        let t = section("submit")
        submit.socketPath = optionalPath(t, "socket")
        if let groups = t.strings("allowed_groups") {
            var names: [String] = []
            for (name, value) in groups {
                if Self.isGroupName(name) {
                    names.append(name)
                } else {
                    context.error(at: value, "\"\(name)\" is not a valid group name")
                }
            }
            submit.allowedGroups = names
        }
        t.finish()
    }

    // MARK: - Shared value checks

    /// A duration within bounds.
    func interval(_ t: TableReader, _ key: String, in range: ClosedRange<Interval>) -> Interval? {
        guard let interval = t.interval(key) else { return nil }
        guard range.contains(interval) else {
            context.error(at: t.value(key)!, "\"\(key)\" must be between \(range.lowerBound) and \(range.upperBound), not \(interval)")
            return nil
        }
        return interval
    }

    /// A non-empty path without NUL.
    func path(_ t: TableReader, _ key: String) -> String? {
        guard let text = t.string(key) else { return nil }
        guard !text.isEmpty, !text.contains("\0") else {
            context.error(at: t.value(key)!, "\"\(key)\" must be a path")
            return nil
        }
        return text
    }

    /// A path where "" means "not set".
    func optionalPath(_ t: TableReader, _ key: String) -> String? {
        guard let text = t.string(key), !text.isEmpty else { return nil }
        guard !text.contains("\0") else {
            context.error(at: t.value(key)!, "\"\(key)\" must be a path")
            return nil
        }
        return text
    }

    /// POSIX-portable group names as `groupadd` accepts them.
    static func isGroupName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...32).contains(bytes.count) else { return false }
        return bytes.enumerated().allSatisfy { i, b in
            (b >= 0x61 && b <= 0x7A) || b == 0x5F || (i > 0 && ((b >= 0x30 && b <= 0x39) || b == 0x2D))
        }
    }
}
