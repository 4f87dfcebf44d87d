import PropertyBased
import Testing
import VertrouwdCore

enum GroupKeyGen {
    /// Vocabulary-shaped values: the alphabet `Vocabulary.isWellFormed`
    /// allows, 1–12 characters, first a letter or digit.
    static func value(_ rng: inout some RandomNumberGenerator) -> GroupKey.Value {
        if rng.chance(0.2) { return .unknown }
        let first = rng.string(from: "abcdefghijklmnopqrstuvwxyz0123456789", count: 1)
        let rest = rng.string(from: "abcdefghijklmnopqrstuvwxyz0123456789._-", count: Int.random(in: 0...11, using: &rng))
        return .known(first + rest)
    }

    /// A random subset of the dimensions, each with a random value.
    static let key = Generator<GroupKey, Shrink.None<GroupKey>>(run: { rng in
        GroupKey(VertrouwdCore.Dimension.allCases.filter { _ in rng.chance(0.4) }.map { GroupKey.Part($0, value(&rng)) })
    }, shrink: { _ in Shrink.None() })

    /// Text close to the encoding: its separators, dimension names and
    /// value characters in random order.
    static let nearText = Generator<String, Shrink.None<String>>(run: { rng in
        let pieces = VertrouwdCore.Dimension.allCases.map(\.rawValue) + ["=", ";", "(unknown)", "a", "x-1", ".", "_", "A", " ", "", "=="]
        return (0..<Int.random(in: 0...7, using: &rng)).map { _ in rng.pick(pieces) }.joined()
    }, shrink: { _ in Shrink.None() })

    /// The comma-separated text the engine sorted groups by before
    /// `GroupKey` (dimension name → value, "(unknown)" for unknown).
    static func oldSortKey(_ key: GroupKey) -> String {
        key.parts.map { "\($0.dimension.rawValue)=\($0.value == .unknown ? "(unknown)" : $0.value.rowText)" }.joined(separator: ",")
    }
}

@Suite("Group keys")
struct GroupKeyTests {
    /// Every group encodes to a text that decodes to the same group.
    @Test func roundTrip() async {
        await propertyCheck(count: 2_000, input: GroupKeyGen.key) { key in
            let text = key.encoded
            #expect(throws: Never.self) { try GroupKey(decoding: text) }
            #expect((try? GroupKey(decoding: text)) == key, "\(text)")
        }
    }

    /// Decoding is strict: whatever it accepts is exactly what `encoded`
    /// writes for the group it returns, so one group has one text.
    @Test func whatDecodesIsCanonical() async {
        await propertyCheck(count: 3_000, input: GroupKeyGen.nearText) { text in
            if let key = try? GroupKey(decoding: text) {
                #expect(key.encoded == text)
            }
        }
    }

    /// Groups order as their old comma-separated sort key did, so the
    /// engine's decisions come out in the order they always had.
    @Test func orderIsTheOldSortKeyOrder() async {
        let sameDimensions = Generator<(GroupKey, GroupKey), Shrink.None<(GroupKey, GroupKey)>>(run: { rng in
            let dimensions = VertrouwdCore.Dimension.allCases.filter { _ in rng.chance(0.5) }
            let a = GroupKey(dimensions.map { GroupKey.Part($0, GroupKeyGen.value(&rng)) })
            let b = GroupKey(dimensions.map { GroupKey.Part($0, rng.chance(0.3) ? a[$0]! : GroupKeyGen.value(&rng)) })
            return (a, b)
        }, shrink: { _ in Shrink.None() })
        await propertyCheck(count: 2_000, input: sameDimensions) { pair in
            let (a, b) = pair
            #expect((a < b) == (GroupKeyGen.oldSortKey(a) < GroupKeyGen.oldSortKey(b)), "\(a) \(b)")
        }
    }

    /// The alert log written by the version before `GroupKey` reads back
    /// unchanged: its keys were already this form.
    static let storedKeys: [(String, GroupKey)] = [
        ("channel=instagram;site=hoofdgebouw", [.channel: "instagram", .site: "hoofdgebouw"]),
        ("site=(unknown)", [.site: .unknown]),
        ("cohort_group=bovenbouw", [.cohortGroup: "bovenbouw"]),
        ("category=sextortion.threat;channel_group=social;cohort=klas-4", [.category: "sextortion.threat", .channelGroup: "social", .cohort: "klas-4"]),
        ("", .wholeSchool),
    ]

    @Test(arguments: storedKeys)
    func storedKeysOfTheCurrentVersionDecode(text: String, key: GroupKey) throws {
        #expect(try GroupKey(decoding: text) == key)
        #expect(key.encoded == text)
    }

    static let badTexts: [(String, GroupKeyError)] = [
        ("site", .malformed),
        ("site=a;", .malformed),
        (";site=a", .malformed),
        ("site=a;;channel=b", .malformed),
        ("room=a", .unknownDimension),
        ("Site=a", .unknownDimension),
        ("site=", .invalidValue),
        ("site=Hoofdgebouw", .invalidValue),
        ("site=a b", .invalidValue),
        ("site=a=b", .invalidValue),
        ("site=unknown)", .invalidValue),
        ("site=-a", .invalidValue),
        ("site=a;site=b", .repeatedDimension),
        ("site=a;channel=b", .notSorted),
        ("channel=b, site=a", .invalidValue),
    ]

    @Test(arguments: badTexts)
    func strictDecodeErrors(text: String, error: GroupKeyError) {
        #expect(throws: error) { try GroupKey(decoding: text) }
    }

    /// A decode error names its reason only, never the text.
    @Test func errorsCarryNoValue() {
        for error in [GroupKeyError.malformed, .unknownDimension, .invalidValue, .repeatedDimension, .notSorted] {
            #expect(String(describing: error).hasPrefix("group_"))
            #expect(!String(describing: error).contains("="))
        }
    }

    @Test func partsAreSortedAndSubscriptable() {
        let key = GroupKey([GroupKey.Part(.site, .known("a")), GroupKey.Part(.channel, .unknown)])
        #expect(key.parts.map(\.dimension) == [.channel, .site])
        #expect(key[.site] == .known("a"))
        #expect(key[.channel] == .unknown)
        #expect(key[.cohort] == nil)
        #expect(key[.channel]?.rowText == "")
        #expect(GroupKey.wholeSchool.isWholeSchool && !key.isWholeSchool)
        #expect(GroupKey.Value.unknown < .known("0"))
    }
}
