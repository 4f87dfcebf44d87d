import Foundation
import Testing
import VertrouwdCore

/// The comparison `vertrouwd replay` prints (`ReplayReport`).
@Suite("Replay report")
struct ReplayReportTests {
    static func rule(_ name: String, minCount: Int = 5) -> Rule {
        Rule(name: name, kind: .threshold(window: .day), match: [CategoryPattern("sextortion.*")],
             minCount: minCount, groupBy: [.site, .channel], severity: .high)
    }

    static func alert(_ rule: String, _ day: String, _ group: GroupKey, _ atLeast: Int) -> ReplayedAlert {
        let window = Window.day(label: day, in: TimeZone(identifier: "Europe/Amsterdam")!)!
        return ReplayedAlert(rule: rule, window: day, windowStart: window.start, group: group, atLeast: atLeast)
    }

    static let instagram: GroupKey = [.site: "hoofdgebouw", .channel: "instagram"]
    static let snapchat: GroupKey = [.site: "hoofdgebouw", .channel: "snapchat"]

    @Test func theSameConfigShowsNoChange() {
        let rules = [Self.rule("sextortion-acuut"), Self.rule("stil")]
        let alerts = [Self.alert("sextortion-acuut", "2026-11-29", Self.instagram, 5),
                      Self.alert("sextortion-acuut", "2026-11-28", Self.snapchat, 10)]
        #expect(ReplayReport.render(current: alerts, candidate: alerts.reversed(), currentRules: rules, candidateRules: rules) == """
            rule sextortion-acuut: current 2 alerts, candidate 2 alerts
            rule stil: current 0 alerts, candidate 0 alerts
            no difference

            """)
    }

    @Test func differencesAreListedPerRuleCandidateFirst() {
        let current = [Self.rule("sextortion-acuut")]
        let candidate = [Self.rule("sextortion-acuut", minCount: 3), Self.rule("school")]
        let a = [Self.alert("sextortion-acuut", "2026-11-29", Self.instagram, 5)]
        let b = [Self.alert("sextortion-acuut", "2026-11-29", Self.snapchat, 3),
                 Self.alert("sextortion-acuut", "2026-11-29", Self.instagram, 6),
                 Self.alert("school", "2026-11-29", .wholeSchool, 5)]
        #expect(ReplayReport.render(current: a, candidate: b, currentRules: current, candidateRules: candidate) == """
            rule sextortion-acuut: current 1 alert, candidate 2 alerts
              + 2026-11-29  channel=instagram;site=hoofdgebouw  at least 6
              + 2026-11-29  channel=snapchat;site=hoofdgebouw  at least 3
              - 2026-11-29  channel=instagram;site=hoofdgebouw  at least 5
            rule school: current (no such rule), candidate 1 alert
              + 2026-11-29  whole school  at least 5
            4 alerts differ (+ only the candidate sends, - only the current config sends)

            """)
    }

    @Test func aRuleOnlyTheCurrentConfigHasAndOneDifference() {
        let current = [Self.rule("oud")]
        let a = [Self.alert("oud", "2026-11-29", [.site: .unknown, .channel: "instagram"], 5)]
        #expect(ReplayReport.render(current: a, candidate: [], currentRules: current, candidateRules: []) == """
            rule oud: current 1 alert, candidate (no such rule)
              - 2026-11-29  channel=instagram;site=(unknown)  at least 5
            1 alert differ (+ only the candidate sends, - only the current config sends)

            """)
    }

    @Test func alertsSortByRuleWindowGroupBand() {
        let early = Self.alert("a", "2026-11-28", Self.snapchat, 10)
        let instagram = Self.alert("a", "2026-11-29", Self.instagram, 10)
        let low = Self.alert("a", "2026-11-29", Self.snapchat, 5)
        let high = Self.alert("a", "2026-11-29", Self.snapchat, 10)
        let other = Self.alert("b", "2026-11-01", Self.instagram, 5)
        #expect([other, high, low, instagram, early].sorted() == [early, instagram, low, high, other])
    }

    @Test func aDecisionReplaysAsWhatItAnnounced() {
        let window = Window.day(label: "2026-11-29", in: TimeZone(identifier: "Europe/Amsterdam")!)!
        let decision = AlertDecision(rule: "r", window: window, group: Self.instagram, atLeast: 10, escalation: true,
                                     severity: .high, logKeys: [])
        #expect(ReplayedAlert(decision) == ReplayedAlert(rule: "r", window: "2026-11-29", windowStart: window.start,
                                                         group: Self.instagram, atLeast: 10))
    }

    /// Stepping day by day decides each alert once, however many later
    /// days still look at its window.
    @Test func aSimulationDecidesWhatTheDaemonWouldHave() throws {
        let engine = RuleFixture.engine([RuleFixture.acuut])
        var store = BucketStore()
        let saturday = Clock.local(2026, 11, 28, 10)
        store.add(saturday, "sextortion.threat", count: 5)
        store.add(saturday + 86_400, "sextortion.threat", count: 5)
        store.add(saturday + 86_400, "sextortion.threat", channel: "snapchat", count: 10)
        let from = Clock.local(2026, 11, 20, 0)
        let to = Clock.local(2026, 12, 2, 12)
        let hours = try #require(ReplaySimulation.hoursNeeded([engine], from: from, to: to))
        #expect(hours.lowerBound <= from / 3_600 && to / 3_600 < hours.upperBound)
        let alerts = ReplaySimulation.alerts(engine: engine, index: BucketIndex(store.source(hours)), from: from, to: to)
        #expect(alerts.map { "\($0.window) \($0.group) \($0.atLeast)" } == [
            "2026-11-28 channel=instagram;site=hoofdgebouw 5",
            "2026-11-29 channel=instagram;site=hoofdgebouw 5",
            "2026-11-29 channel=snapchat;site=hoofdgebouw 10",
        ])
        #expect(ReplaySimulation.hoursNeeded([RuleFixture.engine([])], from: from, to: to) == nil)
    }
}
