import Foundation
import PropertyBased
import Testing
import VertrouwdCore

/// The summary's cell mapping (`SummaryCells`) and its alert list and
/// bounds (`SummaryAlerts`).
@Suite("Summary cells")
struct SummaryCellsTests {
    static let zone = TimeZone(identifier: "Europe/Amsterdam")!
    let cells = SummaryCells(taxonomy: messageTaxonomy)
    let sextortion = Rule(name: "sextortion-acuut", kind: .threshold(window: .day), match: [CategoryPattern("sextortion.*")],
                          minCount: 5, groupBy: [.site, .channel], severity: .high)

    @Test func groupedVocabulariesAreShownByGroupUngroupedByValue() {
        #expect(cells.tables.map(\.name) == ["category", "channel_group", "site", "cohort_group"])
        #expect(cells.tables[1].rows == ["social", "gaming", ""])
        #expect(cells.tables[2].rows == ["hoofdgebouw", "dependance", ""])
        #expect(cells.tables[3].rows == ["onderbouw", "bovenbouw", ""])
        let flat = SummaryCells(taxonomy: Taxonomy(categories: Vocabulary(["grooming"]), sites: Vocabulary(["a"]),
                                                   cohorts: Vocabulary(["klas-1"]), channels: Vocabulary(["instagram", "game"])))
        #expect(flat.tables.map(\.dimension) == [.category, .channel, .site, .cohort])
        #expect(flat.tables.map(\.rows) == [["grooming"], ["instagram", "game", ""], ["a", ""], ["klas-1", ""]])
    }

    @Test func bucketsCountInTheirRows() {
        let buckets = [
            BucketCount(hour: 0, category: "grooming", site: "hoofdgebouw", cohort: "klas-1", channel: "discord", count: 3),
            BucketCount(hour: 1, category: "grooming", site: "", cohort: "", channel: "instagram", count: 2),
            BucketCount(hour: 2, category: "distress", site: "dependance", cohort: "klas-4", channel: "snapchat", count: 4),
        ]
        #expect(cells.row(of: buckets[0], .channelGroup) == "gaming")
        #expect(cells.row(of: buckets[1], .site) == "")
        #expect(cells.row(of: buckets[1], .cohortGroup) == "")
        let counts = cells.counts(buckets).mapValues { $0.map { "\($0.key)=\($0.count)" } }
        #expect(counts["category"] == ["grooming=5", "sextortion.threat=0", "sextortion.payment=0", "image.request=0",
                                       "image.shared=0", "help_seeking=0", "distress=4"])
        #expect(counts["channel_group"] == ["social=6", "gaming=3", "=0"])
        #expect(counts["site"] == ["hoofdgebouw=3", "dependance=4", "=2"])
        #expect(counts["cohort_group"] == ["onderbouw=3", "bovenbouw=4", "=2"])
    }

    @Test func anAlertCoversTheRowsItsGroupAgreesWith() {
        let group: GroupKey = [.site: "hoofdgebouw", .channel: "instagram"]
        func rows(_ table: VertrouwdCore.Dimension, _ group: GroupKey, rule: Rule? = nil) -> [String] {
            let rows = cells.tables.first { $0.dimension == table }?.rows ?? []
            return rows.filter { cells.matches(row: $0, table: table, rule: rule ?? sextortion, group: group) }
        }
        #expect(rows(.category, group) == ["sextortion.threat", "sextortion.payment"])
        #expect(rows(.site, group) == ["hoofdgebouw"])
        #expect(rows(.channelGroup, group) == ["social"])
        #expect(rows(.cohortGroup, group) == ["onderbouw", "bovenbouw", ""])
        // Unknown is its own row.
        #expect(rows(.site, [.site: .unknown]) == [""])
        #expect(rows(.channelGroup, [.channel: .unknown]) == [""])
        // A cohort fixes its cohort group; a channel group fixes only that table.
        #expect(rows(.cohortGroup, [.cohort: "klas-1"]) == ["onderbouw"])
        #expect(rows(.channelGroup, [.channelGroup: "gaming"]) == ["gaming"])
        #expect(cells.matches(row: "instagram", table: .channel, rule: sextortion, group: [.channelGroup: "gaming"]))
        // A category group narrows the rule's categories.
        let any = Rule(name: "any", kind: .threshold(window: .week), match: [CategoryPattern("*")], minCount: 5,
                       groupBy: [.category], severity: .low)
        #expect(rows(.category, [.category: "grooming"], rule: any) == ["grooming"])
        #expect(rows(.category, .wholeSchool, rule: any).count == messageTaxonomy.categories.values.count)
    }

    /// The property that ties the two mappings together: a bucket that
    /// falls in an alert's group counts in a row the alert covers, in every
    /// table, whatever the rule groups by.
    @Test func aBucketOfAGroupCountsInARowItsAlertCovers() async {
        let input = Generator<(BucketCount, [VertrouwdCore.Dimension]), Shrink.None<(BucketCount, [VertrouwdCore.Dimension])>>(run: { rng in
            let bucket = BucketCount(hour: 0, category: rng.pick(messageTaxonomy.categories.values),
                                     site: rng.pick(messageTaxonomy.sites.values + [""]),
                                     cohort: rng.pick(messageTaxonomy.cohorts.values + [""]),
                                     channel: rng.pick(messageTaxonomy.channels.values + [""]), count: 1)
            return (bucket, VertrouwdCore.Dimension.allCases.filter { _ in rng.chance(0.4) })
        }, shrink: { _ in Shrink.None() })
        let cells = self.cells
        await propertyCheck(count: 1_000, input: input) { pair in
            let (bucket, groupBy) = pair
            let rule = Rule(name: "r", kind: .threshold(window: .day), match: [CategoryPattern(bucket.category)],
                            minCount: 5, groupBy: groupBy, severity: .low)
            let group = AlertGroup.key(of: bucket, by: groupBy, taxonomy: messageTaxonomy)
            for table in cells.tables {
                #expect(cells.matches(row: cells.row(of: bucket, table.dimension), table: table.dimension, rule: rule, group: group),
                        "\(bucket) \(group) \(table.name)")
            }
        }
    }

    @Test func theWeeksAlertsKeepTheHighestBandPerRuleWindowAndGroup() throws {
        let week = try #require(Window.week(label: "2026-W48", in: Self.zone))
        let sunday = try #require(Window.day(label: "2026-11-29", in: Self.zone))
        let monday = try #require(Window.day(label: "2026-11-23", in: Self.zone))
        let instagram: GroupKey = [.site: "hoofdgebouw", .channel: "instagram"]
        let unknown: GroupKey = [.site: .unknown, .channel: .unknown]
        let log = [
            AlertKey(rule: sextortion.name, windowStart: sunday.start, group: instagram, band: 5),
            AlertKey(rule: sextortion.name, windowStart: sunday.start, group: instagram, band: 10),
            AlertKey(rule: sextortion.name, windowStart: sunday.start, group: unknown, band: 5),
            AlertKey(rule: sextortion.name, windowStart: monday.start, group: instagram, band: 5),
            // The week before, and a rule a reload removed: not listed.
            AlertKey(rule: sextortion.name, windowStart: monday.start - 86_400, group: instagram, band: 40),
            AlertKey(rule: "removed", windowStart: sunday.start, group: instagram, band: 5),
        ]
        let alerts = SummaryAlerts(week: week, log: log, rules: [sextortion], cells: cells, zone: Self.zone)
        #expect(alerts.lines.map { "\($0.window) \($0.rule) \($0.atLeast)" } == [
            "2026-11-23 sextortion-acuut 5",
            "2026-11-29 sextortion-acuut 5",  // the unknown group: "(unknown)" sorts first
            "2026-11-29 sextortion-acuut 10",
        ])
        #expect(alerts.bounds.count == 3 * cells.tables.count)
        let sundayInstagram = alerts.bounds.filter { $0.window == "2026-11-29|channel=instagram;site=hoofdgebouw" }
        #expect(sundayInstagram.map(\.atLeast) == [10, 10, 10, 10])
        // A pupil counts in the first row its signals reach, so an alert's
        // pupils lie in the rows up to its last matching row (issue 13).
        #expect(sundayInstagram.map { $0.cells.map(\.description) } == [
            ["category[grooming]", "category[sextortion.threat]", "category[sextortion.payment]"],
            ["channel_group[social]"], ["site[hoofdgebouw]"],
            ["cohort_group[onderbouw]", "cohort_group[bovenbouw]", "cohort_group[]"],
        ])
        let allSites = cells.tables[2].rows.map { CellID(table: "site", row: $0) }
        #expect(alerts.bounds.contains { $0.window == "2026-11-29|channel=(unknown);site=(unknown)" && $0.cells == allSites })
    }
}
