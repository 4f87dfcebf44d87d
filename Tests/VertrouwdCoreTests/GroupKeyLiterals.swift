import VertrouwdCore

// Test-only spellings of groups: `[.site: "hoofdgebouw", .channel: .unknown]`.
extension GroupKey: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (Dimension, GroupKey.Value)...) {
        self.init(elements.map { GroupKey.Part($0.0, $0.1) })
    }
}

extension GroupKey.Value: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .known(value)
    }
}
