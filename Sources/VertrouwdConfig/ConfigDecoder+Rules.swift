import VertrouwdCore

// [[rule]]: thresholds and rises over calendar-aligned windows (DESIGN §5).
extension Decoding {
    /// Keys only one kind of rule takes, with the kind.
    static let kindOnlyKeys: [(key: String, kind: String)] = [
        ("window", "threshold"), ("baseline_weeks", "rise"), ("factor", "rise"), ("min_baseline_weeks", "rise"),
    ]

    mutating func decodeRules() {
        guard let sections = root.tableArray("rule") else { return }
        var seen: [String: SourcePosition] = [:]
        for t in sections {
            defer { t.finish() }
            if let rule = decodeRule(t) {
                if let first = seen[rule.name] {
                    context.error(at: t.value("name")!, "duplicate rule name \"\(rule.name)\"",
                                  hint: "first defined at line \(first.line); alerts name their rule, so names must be unique")
                    continue
                }
                seen[rule.name] = t.value("name")!.position
                rules.append(rule)
            }
        }
    }

    /// One rule, or nil when it has an error (all of its errors reported).
    func decodeRule(_ t: TableReader) -> Rule? {
        let errorsBefore = context.diagnostics.count
        let name = t.string("name")
        if name == nil, !t.isPoisoned("name") { missing("name", in: t) }
        if let name, let v = t.value("name") { _ = checkWellFormed(name, at: v, what: "rule name") }

        let kindName = t.string("kind") ?? "threshold"
        let kindKnown = ["threshold", "rise"].contains(kindName)
        if !kindKnown, let v = t.value("kind") {
            context.error(at: v, "\"kind\" must be \"threshold\" or \"rise\", not \"\(kindName)\"",
                          hint: Suggestion.hint(for: kindName, in: ["threshold", "rise"]))
        }
        if kindKnown {
            for (key, kind) in Self.kindOnlyKeys where kind != kindName && t.has(key) {
                // "window" on a rise rule is fine when it says what a rise does anyway.
                if key == "window", kindName == "rise", t.string("window") == "week" { continue }
                let entry = t.entry(key)!
                _ = t.value(key)
                let message = key == "window"
                    ? "rise rules always compare whole weeks; remove \"window\" or set it to \"week\""
                    : "\"\(key)\" applies to rise rules only"
                context.error(at: entry.keyPosition, length: key.unicodeScalars.count, message)
            }
        }

        let patterns = decodeMatch(t)
        let minCount = decodeMinCount(t)
        let groupBy = decodeGroupBy(t)
        let severity = t.choice("severity", Severity.self) ?? .medium
        let counting = t.choice("count", Rule.Counting.self) ?? .pupils
        if counting == .signals, kindName == "rise", let v = t.value("count") {
            context.error(at: v, "a rise rule counts pupils only",
                          hint: "it is decided from the published weekly summaries, which count pupils; remove \"count\"")
        }

        var kind: Rule.Kind?
        var minBaselineWeeks = Rule.defaultMinBaselineWeeks
        switch kindName {
        case "threshold":
            let window = t.choice("window", WindowKind.self) ?? .day
            kind = .threshold(window: window)
        case "rise":
            let baseline = t.integer("baseline_weeks", in: 1...52) ?? 6
            var factor = 2.0
            if let f = t.number("factor") {
                if f > 1.0, f <= 100 {
                    factor = f
                } else {
                    context.error(at: t.value("factor")!, "\"factor\" must be above 1 and at most 100, not \(f)",
                                  hint: "a rise rule fires when this week is at least factor × the baseline")
                }
            }
            kind = .rise(baselineWeeks: baseline, factor: factor)
            minBaselineWeeks = decodeMinBaselineWeeks(t, baselineWeeks: baseline)
        default:
            _ = t.value("window"); _ = t.value("baseline_weeks"); _ = t.value("factor"); _ = t.value("min_baseline_weeks")
        }

        guard context.diagnostics.count == errorsBefore, let name, let kind, let patterns, let minCount, let groupBy
        else { return nil }
        var rule = Rule(name: name, kind: kind, match: patterns, minCount: minCount, groupBy: groupBy, severity: severity,
                        minBaselineWeeks: minBaselineWeeks)
        rule.counting = counting
        // A rise rule is decided from the published summaries (issue 13,
        // finding 3): its count must be a row or a sum of rows there.
        if case .rise = kind, categoriesKnown,
           let why = PublishedRise.whyNotPlaceable(rule, cells: SummaryCells(taxonomy: taxonomy)),
           let value = t.value("group_by") {  // without group_by a rule always places
            context.error(at: value, why.message, hint: why.hint)
            return nil
        }
        return rule
    }

    /// `min_baseline_weeks` of a rise rule: 1 up to `baseline_weeks`;
    /// absent, 3 or the baseline's length if that is shorter.
    func decodeMinBaselineWeeks(_ t: TableReader, baselineWeeks: Int) -> Int {
        guard let n = t.integer("min_baseline_weeks", in: 1...52) else {
            return min(Rule.defaultMinBaselineWeeks, baselineWeeks)
        }
        if n > baselineWeeks, !t.isPoisoned("baseline_weeks") {
            context.error(at: t.value("min_baseline_weeks")!,
                          "\"min_baseline_weeks\" (\(n)) must be at most baseline_weeks (\(baselineWeeks))",
                          hint: "a rise is judged against the baseline_weeks school weeks before it; at least min_baseline_weeks of them must have data")
            return baselineWeeks
        }
        return n
    }

    /// `match`: category names, or prefixes ending in "*"; each must match
    /// at least one category of the taxonomy.
    func decodeMatch(_ t: TableReader) -> [CategoryPattern]? {
        guard let items = t.strings("match") else {
            if !t.has("match") { missing("match", in: t, "the categories this rule counts") }
            return nil
        }
        if items.isEmpty {
            context.error(at: t.value("match")!, "\"match\" must name at least one category")
            return nil
        }
        var patterns: [CategoryPattern] = []
        for (text, value) in items {
            let pattern = CategoryPattern(text)
            // A name, or any stem of vocabulary characters followed by "*".
            let stem = pattern.isWildcard ? String(text.dropLast()) : text
            let stemOK = pattern.isWildcard
                ? stem.utf8.allSatisfy { Vocabulary.isWellFormed(String(UnicodeScalar($0))) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
                : Vocabulary.isWellFormed(stem)
            guard stemOK else {
                context.error(at: value, "\"\(text)\" is not a category or a prefix ending in \"*\"",
                              hint: "for example \"grooming\" or \"sextortion.*\"")
                continue
            }
            if categoriesKnown, !taxonomy.categories.values.contains(where: pattern.matches) {
                let what = pattern.isWildcard ? "no category matches \"\(text)\"" : "unknown category \"\(text)\""
                context.error(at: value, what,
                              hint: Suggestion.hint(for: text, in: taxonomy.categories.values)
                                ?? "the categories are \(TableReader.list(taxonomy.categories.values, conjunction: "and"))")
                continue
            }
            patterns.append(pattern)
        }
        return patterns
    }

    /// `min_count`: defaults to k and may not be below it.
    func decodeMinCount(_ t: TableReader) -> Int? {
        guard let n = t.integer("min_count") else {
            return t.isPoisoned("min_count") || t.has("min_count") ? nil : privacy.minGroupSize
        }
        let k = privacy.minGroupSize
        if n < Int64(k) {
            if !context.isPoisoned("privacy.min_group_size") {
                context.error(at: t.value("min_count")!, "\"min_count\" (\(n)) is below min_group_size (k = \(k))",
                              hint: "an alert about fewer than k signals could single out a pupil")
            }
            return nil
        }
        guard n <= 1_000_000 else {
            context.error(at: t.value("min_count")!, "\"min_count\" must be at most 1000000, not \(n)")
            return nil
        }
        return Int(n)
    }

    /// `group_by`: distinct dimensions; a group dimension needs groups in
    /// its vocabulary, and a value and its own group are not both allowed.
    func decodeGroupBy(_ t: TableReader) -> [Dimension]? {
        guard let items = t.strings("group_by") else { return t.has("group_by") ? nil : [] }
        var dimensions: [Dimension] = []
        var ok = true
        for (text, value) in items {
            guard let dimension = Dimension(rawValue: text) else {
                context.error(at: value, "unknown group_by dimension \"\(text)\"",
                              hint: Suggestion.hint(for: text, in: Dimension.allCases.map(\.rawValue))
                                ?? "use \(TableReader.list(Dimension.allCases.map(\.rawValue)))")
                ok = false
                continue
            }
            if dimensions.contains(dimension) {
                context.error(at: value, "\"\(text)\" is listed twice in \"group_by\"")
                ok = false
                continue
            }
            let pairs: [(Dimension, Dimension)] = [(.cohort, .cohortGroup), (.channel, .channelGroup)]
            if let (fine, coarse) = pairs.first(where: { [$0.0, $0.1].contains(dimension) }),
               dimensions.contains(dimension == fine ? coarse : fine) {
                context.error(at: value, "\"group_by\" lists both \"\(fine.rawValue)\" and \"\(coarse.rawValue)\"",
                              hint: "keep one: \"\(fine.rawValue)\" already splits every \"\(coarse.rawValue)\"")
                ok = false
                continue
            }
            let vocabulary = dimension == .cohortGroup ? taxonomy.cohorts : dimension == .channelGroup ? taxonomy.channels : nil
            if let vocabulary, !vocabulary.isGrouped, categoriesKnown {
                let base = dimension == .cohortGroup ? "cohorts" : "channels"
                context.error(at: value, "\"\(text)\" needs groups in [taxonomy.\(base)]",
                              hint: "write each value with its group, e.g. \"klas-4\" = \"bovenbouw\"")
                ok = false
                continue
            }
            dimensions.append(dimension)
        }
        return ok ? dimensions : nil
    }
}
