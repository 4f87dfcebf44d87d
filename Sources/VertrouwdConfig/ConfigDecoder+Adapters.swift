import VertrouwdCore

// [[adapter]]: a filter log that `vertrouwd adapt` turns into signals
// (docs/adapters.md). Each names the [[source]] its signals come from; its
// subnet maps and category maps may only give values of the taxonomy (P1).
extension Decoding {
    mutating func decodeAdapters() {
        guard let sections = root.tableArray("adapter") else { return }
        var seen: [String: SourcePosition] = [:]
        for t in sections {
            defer { t.finish() }
            guard let adapter = decodeAdapter(t) else { continue }
            if let first = seen[adapter.name] {
                context.error(at: t.value("name")!, "duplicate adapter \"\(adapter.name)\"",
                              hint: "first defined at line \(first.line); one adapter per source")
                continue
            }
            seen[adapter.name] = t.value("name")!.position
            adapters.append(adapter)
        }
    }

    /// One adapter, or nil when it has an error (all of its errors reported).
    func decodeAdapter(_ t: TableReader) -> AdapterSettings? {
        let errorsBefore = context.diagnostics.count
        let name = t.string("name")
        if name == nil, !t.isPoisoned("name") { missing("name", in: t, "the [[source]] its signals come from") }
        if let name, let v = t.value("name"), checkWellFormed(name, at: v, what: "adapter name"), !sources.contains(name),
           !context.isPoisoned("source.name") {
            context.error(at: v, "adapter \"\(name)\" names no [[source]]",
                          hint: Suggestion.hint(for: name, in: sources)
                            ?? "add a [[source]] with name = \"\(name)\": the adapter's signals come from it")
        }
        let format = t.choice("format", AdapterSettings.Format.self)
        if !t.has("format") { missing("format", in: t, "one of \(TableReader.list(AdapterSettings.Format.allCases.map(\.rawValue)))") }

        var lists: [String] = []
        if let items = t.strings("lists") {
            for (text, value) in items {
                if text.isEmpty || text.contains("\0") {
                    context.error(at: value, "\"lists\" must name files or glob patterns")
                } else {
                    lists.append(text)
                }
            }
        }
        let sites = subnetMap(t, "sites", vocabulary: taxonomy.sites, what: "site", section: "taxonomy.sites")
        let cohorts = subnetMap(t, "cohorts", vocabulary: taxonomy.cohorts, what: "cohort", section: "taxonomy.cohorts")
        let categories = nameMap(t, "categories", vocabulary: taxonomy.categories, what: "category")
        let groups = nameMap(t, "groups", vocabulary: taxonomy.cohorts, what: "cohort")
        let state = optionalPath(t, "state")

        if lists.isEmpty, categories.isEmpty, context.diagnostics.count == errorsBefore {
            context.error(at: (t.value("lists") ?? t.value("name"))?.position ?? t.position, "adapter \"\(name ?? "")\" has no domain lists and no \"categories\": it would produce nothing",
                          hint: "add lists = [\"/etc/vertrouwd/domains/*.list\"]")
        }
        guard context.diagnostics.count == errorsBefore, let name, let format else { return nil }
        return AdapterSettings(name: name, format: format, lists: lists, sites: sites, cohorts: cohorts,
                               categories: categories, groups: groups, statePath: state)
    }

    /// `{ "10.1.0.0/16" = "hoofdgebouw" }`: each key a CIDR network, each
    /// value from the vocabulary.
    func subnetMap(_ t: TableReader, _ key: String, vocabulary: Vocabulary, what: String, section: String) -> [SubnetValue] {
        guard let table = t.table(key) else { return [] }
        defer { table.finish() }
        var result: [SubnetValue] = []
        for entry in table.table.entries {
            context.noteKnown(entry.key, in: table.section)
            let value = table.string(entry.key)
            guard let network = IPNetwork(cidr: entry.key) else {
                context.error(at: entry.keyPosition, length: entry.key.unicodeScalars.count + 2,
                              "\"\(entry.key)\" is not a network in CIDR notation",
                              hint: "write the network address and its prefix length, e.g. \"10.1.0.0/16\" or \"2001:db8:1::/48\"")
                continue
            }
            guard let value else { continue }
            guard categoriesKnown else { continue }
            guard vocabulary.contains(value) else {
                context.error(at: table.value(entry.key)!, "unknown \(what) \"\(value)\"",
                              hint: Suggestion.hint(for: value, in: vocabulary.values)
                                ?? "the values of [\(section)] are \(TableReader.list(vocabulary.values, conjunction: "and"))")
                continue
            }
            result.append(SubnetValue(network: network, value: value))
        }
        return result
    }

    /// `{ "Pornography" = "image.shared" }`: a filter's own names, each
    /// mapped to a value of the vocabulary.
    func nameMap(_ t: TableReader, _ key: String, vocabulary: Vocabulary, what: String) -> [String: String] {
        guard let table = t.table(key) else { return [:] }
        defer { table.finish() }
        var result: [String: String] = [:]
        for entry in table.table.entries {
            context.noteKnown(entry.key, in: table.section)
            guard let value = table.string(entry.key) else { continue }
            guard categoriesKnown else { continue }
            guard vocabulary.contains(value) else {
                context.error(at: table.value(entry.key)!, "unknown \(what) \"\(value)\"",
                              hint: Suggestion.hint(for: value, in: vocabulary.values))
                continue
            }
            result[entry.key] = value
        }
        return result
    }
}
