import VertrouwdCore

// [calendar] and the quiet hours of [delivery] (issue 15 §2): when the
// school is closed, and when alert e-mails wait.
extension Decoding {
    /// The longest range of days off one entry may give: a typo in a year
    /// ("2026-10-19..2027-10-23") should not close the school for a year.
    static let longestDaysOff: Int64 = 92

    mutating func decodeCalendar() {
        guard root.has("calendar") else {
            _ = root.value("calendar")  // a known section, for "did you mean"
            return
        }
        let t = section("calendar")
        guard !t.isAbsent else { return }
        calendar.region = t.choice("region", SchoolRegion.self)
        if let items = t.strings("days_off") {
            calendar.daysOff = items.compactMap { daysOff($0.text, at: $0.value) }
        }
        t.finish()
    }

    /// One entry of `days_off`: "2026-03-16" or "2026-06-01..2026-06-05".
    func daysOff(_ text: String, at value: ConfigValue) -> DayRange? {
        let hint = "write a day as \"2026-03-16\" or a range of days, both included, as \"2026-06-01..2026-06-05\""
        let ends = text.components(separatedBy: "..")
        guard ends.count <= 2, let first = LocalDate(parsing: ends[0]), let last = LocalDate(parsing: ends[ends.count - 1]) else {
            context.error(at: value, "\"days_off\" takes dates, not \"\(text)\"", hint: hint)
            return nil
        }
        guard first <= last else {
            context.error(at: value, "the range \"\(text)\" in \"days_off\" ends before it starts", hint: hint)
            return nil
        }
        guard last.dayNumber - first.dayNumber < Self.longestDaysOff else {
            context.error(at: value, "the range \"\(text)\" in \"days_off\" is longer than \(Self.longestDaysOff) days",
                          hint: "list each holiday as a range of its own")
            return nil
        }
        return DayRange(first, last)
    }

    /// `[delivery] quiet` and `quiet_except`, read before `[delivery]` is
    /// finished.
    mutating func decodeQuietHours(_ t: TableReader) {
        var except: Set<Severity> = []
        if let items = t.strings("quiet_except") {
            for (text, value) in items {
                if let severity = Severity(rawValue: text) {
                    except.insert(severity)
                } else {
                    context.error(at: value, "\"quiet_except\" takes severities (\(TableReader.list(Severity.allCases.map(\.rawValue), conjunction: "and"))), not \"\(text)\"",
                                  hint: Suggestion.hint(for: text, in: Severity.allCases.map(\.rawValue)))
                }
            }
        }
        guard let text = t.string("quiet") else {
            if let v = t.value("quiet_except"), !t.isPoisoned("quiet") {
                context.warning(at: v.position, length: v.length, "\"quiet_except\" has no effect without \"quiet\"")
            }
            return
        }
        guard let quiet = QuietHours(parsing: text, except: except) else {
            context.error(at: t.value("quiet")!, "\"quiet\" is not a span of hours: \"\(text)\"",
                          hint: "write two different 24-hour times, e.g. \"22:00-07:00\"")
            return
        }
        delivery.quiet = quiet
        // An alert held all night must not be given up at its first failed
        // attempt in the morning.
        let length = Int64((quiet.end - quiet.start + 86_400) % 86_400)
        if delivery.maxAge.seconds <= length, let v = t.value("max_age") {
            context.warning(at: v.position, length: v.length,
                            "\"max_age\" (\(delivery.maxAge)) is not longer than the quiet hours (\(quiet))",
                            hint: "an alert held through them would be given up at its first failed attempt")
        }
    }
}
