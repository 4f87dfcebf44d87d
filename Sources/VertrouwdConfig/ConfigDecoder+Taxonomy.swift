import VertrouwdCore

// [taxonomy] and [[source]]: the closed vocabularies signals are checked
// against (privacy invariant P1), and the producers allowed to send them.
extension Decoding {
    mutating func decodeTaxonomy() {
        let t = section("taxonomy")
        if t.isAbsent {
            missingSection("taxonomy", example: "categories = [\"grooming\", \"sextortion.threat\", \"sextortion.payment\"]")
            categoriesKnown = false
            t.finish()
            return
        }
        if let categories = vocabularyList(t, "categories") {
            if categories.isEmpty {
                context.error(at: t.value("categories")!, "\"categories\" must list at least one category")
            }
            taxonomy.categories = Vocabulary(categories)
        } else {
            categoriesKnown = false
            if !t.isPoisoned("categories") {
                missing("categories", in: t, "signals are checked against this list")
            }
        }
        taxonomy.sites = vocabularyList(t, "sites").map(Vocabulary.init) ?? taxonomy.sites
        taxonomy.cohorts = groupedVocabulary(t, "cohorts") ?? taxonomy.cohorts
        taxonomy.channels = groupedVocabulary(t, "channels") ?? taxonomy.channels
        if let labels = t.table("labels") {
            decodeLabels(labels)
        }
        t.finish()
    }

    /// An array of distinct, well-formed vocabulary values.
    func vocabularyList(_ t: TableReader, _ key: String) -> [String]? {
        guard let items = t.strings(key) else { return nil }
        var seen: [String: ConfigValue] = [:]
        var values: [String] = []
        for (text, value) in items {
            guard checkWellFormed(text, at: value, what: "value in \"\(key)\"") else { continue }
            if let first = seen[text] {
                context.error(at: value, "\"\(text)\" is listed twice in \"\(key)\"",
                              hint: "first listed at line \(first.position.line)")
                continue
            }
            seen[text] = value
            values.append(text)
        }
        return values
    }

    /// `[taxonomy.cohorts]` as value = "group" pairs, or an array of values
    /// without groups.
    func groupedVocabulary(_ t: TableReader, _ key: String) -> Vocabulary? {
        guard let raw = t.value(key) else { return nil }
        if case .array = raw.kind {
            return vocabularyList(t, key).map(Vocabulary.init)
        }
        guard let table = t.table(key) else { return nil }
        var pairs: [(value: String, group: String)] = []
        for entry in table.table.entries {
            // Every key of this table is a value the config defines.
            let groupText = table.string(entry.key)
            let keyValue = ConfigValue(.string(entry.key), at: entry.keyPosition, length: entry.key.unicodeScalars.count)
            guard checkWellFormed(entry.key, at: keyValue, what: "\(key.dropLast()) name") else { continue }
            guard let group = groupText else { continue }
            let groupValue = table.value(entry.key)!
            guard checkWellFormed(group, at: groupValue, what: "group name") else { continue }
            pairs.append((entry.key, group))
        }
        table.finish()
        return Vocabulary(grouped: pairs)
    }

    /// `[taxonomy.labels.nl]`: display labels for any value or group name.
    mutating func decodeLabels(_ labels: TableReader) {
        var known = taxonomy.categories.values + taxonomy.sites.values
        known += taxonomy.cohorts.values + taxonomy.cohorts.groupNames
        known += taxonomy.channels.values + taxonomy.channels.groupNames
        let knownSet = Set(known)
        var result: [Language: [String: String]] = [:]
        for entry in labels.table.entries {
            guard let language = Language(rawValue: entry.key) else {
                // Left unread: finish() reports it with a hint.
                continue
            }
            guard let table = labels.table(entry.key) else { continue }
            var map: [String: String] = [:]
            for label in table.table.entries {
                context.noteKnown(label.key, in: table.section)
                guard let text = table.string(label.key) else { continue }
                if !knownSet.contains(label.key), categoriesKnown {
                    context.error(at: label.keyPosition, length: label.key.unicodeScalars.count,
                                  "label for \"\(label.key)\", which is not in the taxonomy",
                                  hint: Suggestion.hint(for: label.key, in: known))
                    continue
                }
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || text.unicodeScalars.count > 200
                    || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    context.error(at: table.value(label.key)!, "a label must be 1–200 characters without control characters")
                    continue
                }
                map[label.key] = text
            }
            table.finish()
            result[language] = map
        }
        for language in Language.allCases { _ = labels.value(language.rawValue) }
        labels.finish()
        taxonomy.labels = result
    }

    /// Reports a vocabulary value that is not of the closed format.
    func checkWellFormed(_ text: String, at value: ConfigValue, what: String) -> Bool {
        guard Vocabulary.isWellFormed(text) else {
            context.error(at: value, "\(what) \"\(text)\" is not allowed",
                          hint: "use 1–64 lower-case letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit")
            return false
        }
        return true
    }

    mutating func decodeSources() {
        guard let sections = root.tableArray("source") else {
            if !context.quietAboutMissing, !root.has("source") {
                context.error(at: nil, "no [[source]] defined: no producer could submit signals",
                              hint: "add one section per producer:\n        [[source]]\n        name = \"webfilter\"")
            }
            return
        }
        var seen: [String: SourcePosition] = [:]
        for t in sections {
            defer { t.finish() }
            guard let name = t.string("name") else {
                if !t.isPoisoned("name") { missing("name", in: t) }
                continue
            }
            let value = t.value("name")!
            guard checkWellFormed(name, at: value, what: "source name") else { continue }
            if let first = seen[name] {
                context.error(at: value, "duplicate source \"\(name)\"", hint: "first defined at line \(first.line)")
                continue
            }
            seen[name] = value.position
            sources.append(name)
            var settings = SourceSettings()
            settings.subjects = t.choice("subjects", SourceSettings.SubjectPolicy.self) ?? settings.subjects
            settings.expectEvery = expectEvery(t) // s6-health: ConfigDecoder+Delivery.swift
            if settings != SourceSettings() { sourceSettings[name] = settings }
        }
    }
}
