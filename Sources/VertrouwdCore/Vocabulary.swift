/// A closed list of values a signal field may take, in the order the config
/// lists them, each with an optional parent group (cohort `klas-4` →
/// `bovenbouw`, channel `instagram` → `social`).
///
/// Closed vocabularies are privacy invariant P1: a signal can only say what
/// the school listed, never free text.
public struct Vocabulary: Hashable, Sendable {
    public private(set) var values: [String]
    private var groups: [String: String]

    public init(_ values: [String]) {
        self.values = values
        self.groups = [:]
    }

    /// Values with their groups, in order.
    public init(grouped pairs: [(value: String, group: String)]) {
        self.values = pairs.map(\.value)
        self.groups = Dictionary(pairs.map { ($0.value, $0.group) }, uniquingKeysWith: { first, _ in first })
    }

    public func contains(_ value: String) -> Bool { values.contains(value) }

    /// The parent group of `value`, or nil when the vocabulary has no groups
    /// or the value is unknown.
    public func group(of value: String) -> String? { groups[value] }

    /// Distinct group names in first-seen order.
    public var groupNames: [String] {
        var seen = Set<String>()
        return values.compactMap { groups[$0] }.filter { seen.insert($0).inserted }
    }

    public var isGrouped: Bool { !groups.isEmpty }

    /// The value format every vocabulary entry and group name must have:
    /// 1–64 characters of lower-case ASCII letters, digits, `.`, `_` and `-`,
    /// starting with a letter or digit. Keeps outputs safe to print anywhere
    /// and keeps identifiers (e-mail, phone numbers) out of the vocabulary.
    public static func isWellFormed(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func allowed(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x5F || b == 0x2D
        }
        guard bytes.allSatisfy(allowed) else { return false }
        let first = bytes[0]
        return (first >= 0x61 && first <= 0x7A) || (first >= 0x30 && first <= 0x39)
    }
}
