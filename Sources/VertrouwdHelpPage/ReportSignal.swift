import VertrouwdCore

/// The one signal a report becomes (DESIGN §2): source `helppage`, the
/// situation's category, the form's channel and cohort, the configured
/// site, a random id, and the time floored to the hour (the store keeps
/// no finer, P3, and the spool file should not either).
public enum ReportSignal {
    /// Whether the signal carries the browser's `subject` token, so that
    /// the daemon counts one browser as one pupil a week (issue 13).
    /// Without it every report of a week would count as one pupil (one
    /// source), and help requests would never reach k.
    public static let carriesSubject = true

    /// A random signal id: "hp-" and 32 hex digits.
    public static func makeID(random: some RandomBytes) -> String {
        "hp-" + random.bytes(16).map { b in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }.joined()
    }

    /// The JSON line (with its newline) for `form` at `now` (epoch seconds).
    public static func line(for form: ReportForm, model: HelpPageModel, id: String, now: Int64, subject: String?) -> String {
        var pairs: [(String, JSONWriter.Value)] = [
            ("v", .int(1)),
            ("id", .string(id)),
            ("ts", .string(hourText(now))),
            ("source", .string(HelpPageSettings.sourceName)),
            ("category", .string(model.category(of: form.situation) ?? form.situation.defaultCategory)),
        ]
        if let site = model.settings.site { pairs.append(("site", .string(site))) }
        if let cohort = form.cohort { pairs.append(("cohort", .string(cohort))) }
        if let channel = form.channel { pairs.append(("channel", .string(channel))) }
        if carriesSubject, let subject { pairs.append(("subject", .string(subject))) }
        return JSONWriter.render(.object(pairs)) + "\n"
    }

    /// `now` floored to the hour, as RFC 3339 UTC ("2026-12-02T18:00:00Z").
    public static func hourText(_ now: Int64) -> String {
        RFC3339.utcText(RFC3339.utcHourStart(now))
    }
}
