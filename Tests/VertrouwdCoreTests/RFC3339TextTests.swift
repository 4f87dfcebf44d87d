import PropertyBased
import Testing
import VertrouwdCore

/// `RFC3339.utcText`, the `ts` the producers in this package write (the
/// adapters and the help page), read back by the validator's own parser.
@Suite struct RFC3339TextTests {
    @Test func knownInstants() {
        #expect(RFC3339.utcText(0) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.utcText(1_795_943_700) == "2026-11-29T09:15:00Z")
        #expect(RFC3339.utcText(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.utcText(-1) == "1969-12-31T23:59:59Z")
        #expect(RFC3339.utcDate(1_795_943_700) == (2026, 11, 29))
    }

    @Test func readsBackAsTheSameInstant() async {
        await propertyCheck(count: 3_000, input: Gen.int(in: -2_000_000_000...4_000_000_000)) { n in
            let epoch = Int64(n)
            #expect(RFC3339.epochSeconds(RFC3339.utcText(epoch)) == epoch)
        }
    }
}
