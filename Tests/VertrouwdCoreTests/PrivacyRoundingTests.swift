import Testing
import VertrouwdCore

/// A policy with the given k and rounding base.
func privacyPolicy(k: Int, roundTo: Int) -> PrivacyPolicy {
    var policy = PrivacyPolicy()
    policy.minGroupSize = k
    policy.roundTo = roundTo
    return policy
}

@Suite("Bands and rounding (§5, P4, P5)")
struct PrivacyRoundingTests {
    @Test func bandsForMinCountFive() {
        let expected: [Int: Int?] = [0: nil, 4: nil, 5: 5, 9: 5, 10: 10, 19: 10, 20: 20, 39: 20, 40: 40]
        for (count, band) in expected {
            #expect(Bands.band(for: count, minCount: 5) == band, "\(count)")
        }
        #expect(Bands.band(for: 7, minCount: 7) == 7)
        #expect(Bands.band(for: 100, minCount: 0) == nil)
        #expect(Bands.band(for: Int.max, minCount: 5) != nil)
    }

    @Test func allBandsCrossed() {
        #expect(Bands.all(upTo: 4, minCount: 5) == [])
        #expect(Bands.all(upTo: 5, minCount: 5) == [5])
        #expect(Bands.all(upTo: 39, minCount: 5) == [5, 10, 20])
        #expect(Bands.all(upTo: 40, minCount: 5) == [5, 10, 20, 40])
    }

    /// Bands never exceed the count and the next band would.
    @Test func bandIsLargestDoublingBelowCount() {
        for minCount in 1...12 {
            for count in 0...200 {
                guard let band = Bands.band(for: count, minCount: minCount) else {
                    #expect(count < minCount)
                    continue
                }
                #expect(band <= count && band * 2 > count && band % minCount == 0)
                let ratio = band / minCount
                #expect(ratio & (ratio - 1) == 0, "\(band) is minCount × 2^n")
            }
        }
    }

    /// The published text of every count 0…30.
    func texts(k: Int, roundTo: Int) -> [String] {
        let policy = privacyPolicy(k: k, roundTo: roundTo)
        return (0...30).map { policy.publish($0).text(k: k) }
    }

    @Test func roundingK5To5() {
        let t = texts(k: 5, roundTo: 5)
        #expect(Array(t[0...4]) == Array(repeating: "<5", count: 5))
        #expect(Array(t[5...7]) == ["5", "5", "5"])
        #expect(Array(t[8...12]) == ["10", "10", "10", "10", "10"])
        #expect(Array(t[13...17]) == Array(repeating: "15", count: 5))
        #expect(t[18] == "20")
    }

    @Test func roundingK3To5() {
        let t = texts(k: 3, roundTo: 5)
        #expect(Array(t[0...2]) == ["<3", "<3", "<3"])
        // 3 and 4 would round to 5 anyway; never below k, never off the grid.
        #expect(Array(t[3...7]) == Array(repeating: "5", count: 5))
        #expect(Array(t[8...12]) == Array(repeating: "10", count: 5))
    }

    @Test func roundingK10To10() {
        let t = texts(k: 10, roundTo: 10)
        #expect(Array(t[0...9]) == Array(repeating: "<10", count: 10))
        #expect(Array(t[10...14]) == Array(repeating: "10", count: 5))
        #expect(Array(t[15...24]) == Array(repeating: "20", count: 10))
        #expect(Array(t[25...30]) == Array(repeating: "30", count: 6))
    }

    @Test func roundingWhenBaseDoesNotDivideK() {
        // k=6, roundTo=5: 6 and 7 would round to 5 < k, so they show as 10.
        let t = texts(k: 6, roundTo: 5)
        #expect(t[5] == "<6")
        #expect(Array(t[6...12]) == Array(repeating: "10", count: 7))
        #expect(t[13] == "15")
        // roundTo 2 rounds halves up: 7 → 8, 9 → 10.
        let even = texts(k: 3, roundTo: 2)
        #expect(Array(even[3...9]) == ["4", "4", "6", "6", "8", "8", "10"])
    }

    /// `interval(policy:)` is exactly the set of true values that publish
    /// as the value, for every policy of the property tests.
    @Test func intervalsArePreimages() {
        for k in 3...12 {
            for roundTo in [1, 2, 3, 5, 10, 20] {
                let policy = privacyPolicy(k: k, roundTo: roundTo)
                var preimages: [PublishedValue: [Int]] = [:]
                for count in 0...400 { preimages[policy.publish(count), default: []].append(count) }
                for (value, counts) in preimages {
                    if case .count(let r) = value {
                        #expect(r >= k && r % roundTo == 0, "k=\(k) m=\(roundTo) r=\(r)")
                        if counts.last == 400 { continue }   // cut off by the loop
                    }
                    #expect(value.interval(policy: policy) == counts.first!...counts.last!,
                            "k=\(k) m=\(roundTo) \(value)")
                    #expect(counts.count == counts.last! - counts.first! + 1)
                }
                #expect(PublishedValue.count(k + 1).interval(policy: privacyPolicy(k: k, roundTo: 1)) == (k + 1)...(k + 1))
                #expect(PublishedValue.withheld.interval(policy: policy) == k...Int.max)
                #expect(PublishedValue.withheld.text(k: k) == "x")
            }
        }
        // Values that no count rounds to.
        let policy = privacyPolicy(k: 5, roundTo: 5)
        #expect(PublishedValue.count(7).interval(policy: policy) == nil)
        #expect(PublishedValue.count(0).interval(policy: policy) == nil)
    }
}
