import Testing
@testable import VertrouwdStore

/// `Numbering` numbers keys as a Dictionary of first sightings would,
/// through growth and collisions.
@Suite struct NumberingTests {
    @Test func numbersAreFirstSightings() {
        for round in 0..<20 {
            var numbering = Numbering<Int64>(capacity: round % 3 == 0 ? 1 : 64)
            var reference: [Int64: Int32] = [:]
            // Few distinct values in some rounds (many repeats), many in others.
            let range = Int64(1 + round * round * 50)
            for i in 0..<5_000 {
                // Scattered, repeating, deterministic: Fibonacci hashing of i.
                let scattered = (UInt64(i * 20 + round) &* 0x9E37_79B9_7F4A_7C15) >> 17
                let key = Int64(scattered % UInt64(range)) - range / 2
                let expected = reference[key] ?? Int32(reference.count)
                let (number, isNew) = numbering.number(key)
                #expect(number == expected && isNew == (reference[key] == nil))
                reference[key] = expected
            }
            #expect(numbering.count == reference.count)
            for (key, number) in reference { #expect(numbering.find(key) == number) }
            #expect(numbering.find(range + 1) == nil)
            #expect(numbering.keys.enumerated().allSatisfy { reference[$0.element] == Int32($0.offset) })
        }
    }

    /// Keys that hash alike still get numbers of their own.
    @Test func collidingKeysAreKeptApart() {
        var numbering = Numbering<Colliding>()
        for i in 0..<300 { #expect(numbering.number(Colliding(value: i)) == (Int32(i), true)) }
        for i in 0..<300 { #expect(numbering.number(Colliding(value: i)) == (Int32(i), false)) }
    }

    @Test func textAndBuckets() {
        var words = Numbering<String>()
        #expect(words.number("grooming") == (0, true))
        #expect(words.number("") == (1, true))
        #expect(words.number("grooming") == (0, false))
        #expect(words.number("gro" + "oming") == (0, false))
        var buckets = Numbering<PreparedBatch.Bucket>()
        let a = PreparedBatch.Bucket(hour: 1, category: 2, site: 3, cohort: 4, channel: 5, severity: 6)
        var b = a
        b.severity = 7
        #expect(buckets.number(a) == (0, true) && buckets.number(b) == (1, true) && buckets.number(a) == (0, false))
    }

    struct Colliding: NumberingKey {
        var value: Int
        var numberingHash: UInt64 { 42 }
    }
}
