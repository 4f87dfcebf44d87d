/// The domain lists of an adapter, merged: a name matches a listed domain
/// or any of its subdomains, the most specific listed domain winning
/// (`safe.nudify.example` listed apart from `nudify.example`).
public struct DomainMatcher: Sendable {
    private var categories: [String: String] = [:]

    public init() {}

    /// Adds a list's entries. A domain already listed keeps its first
    /// category; the return value names the conflicts (domain, first and
    /// second category) so the loader can report them.
    @discardableResult
    public mutating func add(_ entries: [DomainList.Entry]) -> [(domain: String, first: String, second: String)] {
        var conflicts: [(String, String, String)] = []
        for entry in entries {
            if let first = categories[entry.domain] {
                if first != entry.category { conflicts.append((entry.domain, first, entry.category)) }
                continue
            }
            categories[entry.domain] = entry.category
        }
        return conflicts
    }

    public var count: Int { categories.count }

    /// Domains per category.
    public var countsByCategory: [String: Int] {
        categories.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// The category of `host` (lower-case, no trailing dot), or nil.
    public func category(of host: String) -> String? {
        var name = Substring(host)
        while true {
            if let category = categories[String(name)] { return category }
            guard let dot = name.firstIndex(of: ".") else { return nil }
            name = name[name.index(after: dot)...]
        }
    }
}
