import VertrouwdCore

/// A domain list file: one `domain category` pair per line, `#` starts a
/// comment, blank lines are skipped. A domain also matches its subdomains.
///
///     # Hulp bij sextortion en ongewenste beelden
///     helpwanted.nl      help_seeking
///     takeitdown.ncmec.org help_seeking
///
/// Parsing is pure: bytes and the taxonomy's categories in, entries and
/// problems (line, column, message) out. Problems quote the list's own
/// words: a list is the school's configuration, not pupils' data.
public struct DomainList: Sendable {
    public struct Entry: Hashable, Sendable {
        public var domain: String
        public var category: String
        public var line: Int
    }

    /// A problem at a line and column (1-based).
    public struct Problem: Hashable, Sendable {
        public var line: Int
        public var column: Int
        public var length: Int
        public var message: String
        public var hint: String?
    }

    public var entries: [Entry] = []
    public var problems: [Problem] = []

    public init(bytes: [UInt8], categories: Vocabulary) {
        var lineNumber = 0
        for rawLine in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == 0x0D { line = line.dropLast() }
            if let hash = line.firstIndex(of: 0x23) { line = line[line.startIndex..<hash] }
            let words = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
            guard !words.isEmpty else { continue }
            func column(_ word: ArraySlice<UInt8>) -> Int {
                String(decoding: rawLine[rawLine.startIndex..<word.startIndex], as: UTF8.self).unicodeScalars.count + 1
            }
            func problem(_ word: ArraySlice<UInt8>, _ message: String, hint: String? = nil) {
                problems.append(Problem(line: lineNumber, column: column(word),
                                        length: max(1, String(decoding: word, as: UTF8.self).unicodeScalars.count),
                                        message: message, hint: hint))
            }
            guard words.count == 2 else {
                if words.count == 1 {
                    problem(words[0], "a domain without a category", hint: "write the domain and its category, e.g. \"helpwanted.nl help_seeking\"")
                } else {
                    problem(words[2], "more than a domain and a category on one line",
                            hint: "one \"domain category\" pair per line; \"#\" starts a comment")
                }
                continue
            }
            let domainWord = String(decoding: words[0], as: UTF8.self)
            guard let domain = normalizedHost(words[0]), domain.contains(".") else {
                problem(words[0], "\"\(domainWord)\" is not a domain name",
                        hint: "a name such as \"example.nl\": letters, digits, \"-\" and \".\"; its subdomains match too")
                continue
            }
            let category = String(decoding: words[1], as: UTF8.self)
            guard categories.contains(category) else {
                problem(words[1], "unknown category \"\(category)\"",
                        hint: suggestion(for: category, in: categories.values)
                            ?? "the categories are those of [taxonomy] categories")
                continue
            }
            entries.append(Entry(domain: domain, category: category, line: lineNumber))
        }
    }

    /// "did you mean" for a near miss (edit distance ≤ 2).
    func suggestion(for word: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var current = [i + 1]
                for (j, y) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let best = candidates.map { ($0, distance(Array(word), Array($0))) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 2 else { return nil }
        return "did you mean \"\(best.0)\"?"
    }
}
