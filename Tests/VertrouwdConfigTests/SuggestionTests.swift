import Testing
@testable import VertrouwdConfig

@Suite struct SuggestionTests {
    @Test func typosFindTheirKey() {
        let keys = ["min_group_size", "round_to"]
        #expect(Suggestion.closest(to: "min_group_sise", in: keys) == "min_group_size")
        #expect(Suggestion.closest(to: "min_gruop_size", in: keys) == "min_group_size", "a swapped pair is one edit")
        #expect(Suggestion.closest(to: "round", in: keys) == nil, "too far off to guess")
        #expect(Suggestion.closest(to: "ROUND_TO", in: keys) == "round_to")
    }

    @Test func distanceIsSymmetricAndZeroOnlyForEqualStrings() {
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.distance("sitting", "kitten") == 3)
        #expect(Suggestion.distance("", "abc") == 3)
        #expect(Suggestion.distance("abc", "abc") == 0)
        #expect(Suggestion.distance("ab", "ba") == 1)
    }
}
