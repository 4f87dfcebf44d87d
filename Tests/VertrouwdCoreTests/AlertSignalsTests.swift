import Testing
import VertrouwdCore

/// `count = "signals"`: the signals' band an alert shows beside its pupils.
@Suite struct AlertSignalsTests {
    var rule: Rule {
        var r = Rule(name: "per-locatie", kind: .threshold(window: .day), match: [CategoryPattern("sextortion.*")],
                     minCount: 5, groupBy: [.site], severity: .high)
        r.counting = .signals
        return r
    }

    func bucket(_ category: String, _ site: String) -> BucketCount {
        BucketCount(hour: 0, category: category, site: site, pupils: [])
    }

    @Test func onlyTheGroupsMatchingSignalsCount() {
        let buckets = [(bucket("sextortion.threat", "hoofdgebouw"), 12), (bucket("sextortion.payment", "hoofdgebouw"), 9),
                       (bucket("grooming", "hoofdgebouw"), 30), (bucket("sextortion.threat", "dependance"), 7),
                       (bucket("sextortion.threat", ""), 2)]
        let hoofd = GroupKey([.init(.site, .known("hoofdgebouw"))])
        #expect(AlertSignals.count(rule: rule, group: hoofd, buckets: buckets, taxonomy: Fixture.taxonomy) == 21)
        #expect(AlertSignals.count(rule: rule, group: GroupKey([.init(.site, .unknown)]), buckets: buckets, taxonomy: Fixture.taxonomy) == 2)
    }

    @Test(arguments: [(5, 5, 5), (9, 5, 5), (10, 5, 10), (21, 5, 20), (79, 10, 40), (3, 5, 5), (12, 20, 20)])
    func theBandIsTheSignalsNeverBelowThePupils(signals: Int, pupils: Int, shown: Int) {
        #expect(AlertSignals.band(signals: signals, atLeast: pupils, rule: rule, k: 5) == shown)
    }
}
