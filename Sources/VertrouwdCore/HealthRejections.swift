/// No longer shown (issue 15 §3, s7-health): the summary has no health
/// section; IT gets rejects unmasked in the weekly health report. Only
/// SummaryBuilder still calls this; delete it with that call.
///
/// The "Rejected" rows of a weekly summary's health section (issue 13,
/// finding 13).
///
/// Which rows appear must not depend on a count below k: a row
/// "Rejected: pii_phone <5" shown only when there was at least one such
/// line tells the reader that there was one. So a reason gets its own row
/// only when its count is at least k (its value is then a rounded count, as
/// everywhere), and every reason below k — zero included — is summed into
/// one row `other` that is always there. The set of rows shown therefore
/// depends only on which reasons reached k, which the rows' values say
/// anyway.
public enum HealthRejections {
    /// The key of the row that sums every reason below k.
    public static let otherKey = "other"

    /// Keys of the health counters that are not rejections.
    static let notRejections: Set<String> = ["accepted", "duplicate"]

    /// The rows for `health` (reason code → lines or files rejected in the
    /// week; `accepted` and `duplicate` are skipped): each reason with a
    /// count ≥ k by its code, sorted, then `other` with the sum of the rest,
    /// every value through `policy` ("<k" or a rounded count).
    public static func rows(_ health: [String: Int], policy: PrivacyPolicy) -> [SummaryContent.Row] {
        let k = policy.effectiveMinGroupSize
        var rows: [SummaryContent.Row] = []
        var other = 0
        for (reason, count) in health.sorted(by: { $0.key < $1.key }) where !notRejections.contains(reason) {
            if count >= k {
                rows.append(SummaryContent.Row(key: reason, value: policy.publish(count).text(k: policy.minGroupSize)))
            } else {
                other += count
            }
        }
        rows.append(SummaryContent.Row(key: otherKey, value: policy.publish(other).text(k: policy.minGroupSize)))
        return rows
    }
}
