// AlertEvaluator+Signals — the signals' band an alert of a rule with
// `count = "signals"` shows beside its pupils (Core `AlertSignals`). Read
// from the store's hourly signal buckets at release; rare (only such
// rules' alerts), so one read per alert.
import Foundation
import VertrouwdCore
import VertrouwdStore

extension AlertEvaluator {
    /// `content` with its signals' band when its rule counts signals.
    func withSignals(_ content: AlertContent, decision: AlertDecision, store: some StateStore) throws(StoreError) -> AlertContent {
        guard content.rule.counting == .signals else { return content }
        var buckets: [(bucket: BucketCount, signals: Int)] = []
        try store.forEachBucket(hours: decision.window.hours) { b in
            let profile = BucketCount(hour: b.hour, category: b.category, site: b.site, cohort: b.cohort,
                                      channel: b.channel, pupils: [])
            buckets.append((profile, b.count))
        }
        let signals = AlertSignals.count(rule: content.rule, group: decision.group, buckets: buckets,
                                         taxonomy: configuration.taxonomy)
        var shown = content
        shown.signalsAtLeast = AlertSignals.band(signals: signals, atLeast: content.atLeast, rule: content.rule,
                                                 k: configuration.privacy.minGroupSize)
        return shown
    }
}
