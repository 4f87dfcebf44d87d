/// One alert group: the value of each of a rule's `group_by` dimensions
/// (DESIGN §5), or no dimension at all for a rule that counts the whole
/// school.
///
/// It has one text form, `encoded`, used wherever a group is written down:
/// the alert log in the store, the summary's disclosure bounds, `replay`'s
/// report. `init(decoding:)` reads exactly that form and nothing else.
///
///     channel=instagram;site=hoofdgebouw      two dimensions, sorted by name
///     cohort_group=(unknown)                  a value the signals did not state
///     (empty)                                 the whole school
///
/// Values are vocabulary values (`Vocabulary.isWellFormed`: no `=`, `;` or
/// parentheses), so the form needs no escaping, and `(unknown)` can never be
/// a real value.
public struct GroupKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// A dimension's value in a group.
    public enum Value: Hashable, Sendable, Comparable {
        /// The signals did not state the dimension ("" in the store), or
        /// the taxonomy knows no group for their value. Signals without a
        /// site (or cohort, channel) still count: they form one group of
        /// their own, which may alert like any other; knowing that "at
        /// least 5" signals came from an unknown site identifies no one.
        case unknown
        /// A vocabulary value (or group name).
        case known(String)

        /// How `.unknown` is written in `encoded`.
        public static let unknownText = "(unknown)"

        /// The value as the summary's table rows and `AlertContent` show
        /// it: "" for unknown.
        public var rowText: String {
            switch self {
            case .unknown: ""
            case .known(let value): value
            }
        }

        /// Unknown first, then known values in byte order: the order of the
        /// encoded forms.
        public static func < (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case (.unknown, .unknown), (.known, .unknown): false
            case (.unknown, .known): true
            case (.known(let x), .known(let y)): x.utf8.lexicographicallyPrecedes(y.utf8)
            }
        }
    }

    /// One dimension and its value.
    public struct Part: Hashable, Sendable {
        public var dimension: Dimension
        public var value: Value

        public init(_ dimension: Dimension, _ value: Value) {
            self.dimension = dimension
            self.value = value
        }
    }

    /// The parts, sorted by dimension name, each dimension at most once.
    public let parts: [Part]

    /// The group of a rule without `group_by`.
    public static let wholeSchool = GroupKey(canonical: [])

    /// A group from its values, in any order. A dimension given twice keeps
    /// its last value.
    public init(_ parts: [Part]) {
        var byDimension: [Dimension: Value] = [:]
        for part in parts { byDimension[part.dimension] = part.value }
        self.init(canonical: byDimension.map { Part($0.key, $0.value) }.sorted { $0.dimension.rawValue < $1.dimension.rawValue })
    }

    /// A group from dimension → value.
    public init(_ values: [Dimension: Value]) {
        self.init(values.map { Part($0.key, $0.value) })
    }

    private init(canonical parts: [Part]) {
        self.parts = parts
    }

    /// The value of `dimension`, or nil when the group is not split by it.
    public subscript(dimension: Dimension) -> Value? {
        parts.first { $0.dimension == dimension }?.value
    }

    public var isWholeSchool: Bool { parts.isEmpty }

    /// The one text form: "channel=instagram;site=hoofdgebouw", "" for the
    /// whole school.
    public var encoded: String {
        var text = ""
        for (i, part) in parts.enumerated() {
            if i > 0 { text += ";" }
            text += part.dimension.rawValue
            text += "="
            switch part.value {
            case .unknown: text += Value.unknownText
            case .known(let value): text += value
            }
        }
        return text
    }

    public var description: String { encoded }

    /// Reads `encoded` back. Strict: the text must be exactly what `encoded`
    /// writes for some group — known dimension names, sorted, none twice,
    /// each value a well-formed vocabulary value or `(unknown)`.
    public init(decoding text: String) throws(GroupKeyError) {
        guard !text.isEmpty else {
            self = .wholeSchool
            return
        }
        var parts: [Part] = []
        for field in text.split(separator: ";", omittingEmptySubsequences: false) {
            guard let equals = field.firstIndex(of: "=") else { throw .malformed }
            guard let dimension = Dimension(rawValue: String(field[..<equals])) else { throw .unknownDimension }
            let valueText = String(field[field.index(after: equals)...])
            let value: Value
            if valueText == Value.unknownText {
                value = .unknown
            } else if Vocabulary.isWellFormed(valueText) {
                value = .known(valueText)
            } else {
                throw .invalidValue
            }
            if let previous = parts.last {
                guard previous.dimension != dimension else { throw .repeatedDimension }
                guard previous.dimension.rawValue < dimension.rawValue else { throw .notSorted }
            }
            parts.append(Part(dimension, value))
        }
        self.init(canonical: parts)
    }

    /// Part by part: the order of `encoded` (and of the comma-separated
    /// form the engine sorted by before), so decisions keep their order.
    public static func < (a: GroupKey, b: GroupKey) -> Bool {
        for (x, y) in zip(a.parts, b.parts) {
            if x.dimension != y.dimension { return x.dimension.rawValue < y.dimension.rawValue }
            if x.value != y.value { return x.value < y.value }
        }
        return a.parts.count < b.parts.count
    }
}

/// Why a text is not a `GroupKey`. Carries no part of the text: a stored
/// key is reported by its reason alone.
public enum GroupKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A part without `=`, or an empty part (`;;`, a trailing `;`).
    case malformed
    /// A dimension that is not one of `Dimension`'s.
    case unknownDimension
    /// A value that is neither a vocabulary value nor `(unknown)`.
    case invalidValue
    /// The same dimension twice.
    case repeatedDimension
    /// Dimensions out of order: not a form `encoded` writes.
    case notSorted

    /// A reason code for logs.
    public var description: String {
        switch self {
        case .malformed: "group_malformed"
        case .unknownDimension: "group_unknown_dimension"
        case .invalidValue: "group_invalid_value"
        case .repeatedDimension: "group_repeated_dimension"
        case .notSorted: "group_not_sorted"
        }
    }
}
