/// What an alert of a rule with `count = "signals"` shows beside its
/// pupils (issue 13): the band the group's signals have crossed.
///
/// Every threshold and band is still decided on distinct pupils; the
/// signals only say more about the same alert. They add no fact about a
/// pupil cell: a pupil sends one signal or more, so signals ≥ pupils says
/// nothing the pupil band does not, and the signals' band is a snapshot at
/// release — later signals do not escalate it — so it bounds no final
/// count from above.
public enum AlertSignals {
    /// The signals of `rule`'s `group` among `buckets` (each bucket's
    /// category, site, cohort and channel with its signal count).
    public static func count(rule: Rule, group: GroupKey, buckets: [(bucket: BucketCount, signals: Int)],
                             taxonomy: Taxonomy) -> Int {
        var total = 0
        for (bucket, signals) in buckets where rule.matches(category: bucket.category) {
            if AlertGroup.key(of: bucket, by: rule.groupBy, taxonomy: taxonomy) == group { total += signals }
        }
        return total
    }

    /// The band shown: the highest band (`AlertBands`) that `signals`
    /// crossed, never below the pupils' band `atLeast`.
    public static func band(signals: Int, atLeast: Int, rule: Rule, k: Int) -> Int {
        let base = AlertBands.base(minCount: rule.minCount, k: k)
        return max(atLeast, AlertBands.crossed(by: signals, base: base).last ?? atLeast)
    }
}
