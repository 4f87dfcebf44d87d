import Foundation
import PropertyBased
import Testing
import VertrouwdCore

/// The ledger's text form of a rule's definition (issue 13, finding 7):
/// canonical, versioned, and read back exactly.
@Suite("Rule definitions in the ledger")
struct RuleDefinitionTests {
    /// Any rule with a finite positive factor; pattern texts from any
    /// characters (the separators and "%" included), empty lists too.
    static let rule = Generator<Rule, Shrink.None<Rule>>(run: { rng in
        let alphabet = "abcz09._*-;,:=% éü/\"\\\n"
        let patterns = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
            rng.chance(0.6) ? rng.pick(Fixture.categories + ["sextortion.*", "image.*", "*"])
                : rng.string(from: alphabet, count: Int.random(in: 0...8, using: &rng))
        }
        let groupBy = Dimension.allCases.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng))
        let kind: Rule.Kind
        var minBaselineWeeks = Rule.defaultMinBaselineWeeks
        if rng.chance(0.5) {
            kind = .threshold(window: rng.pick(WindowKind.allCases))
        } else {
            let factor = rng.chance(0.5) ? rng.pick([1.5, 2, 2.5, 3, 100]) : Double.random(in: 1.000001...100, using: &rng)
            kind = .rise(baselineWeeks: Int.random(in: 1...52, using: &rng), factor: factor)
            minBaselineWeeks = Int.random(in: 1...52, using: &rng)
        }
        return Rule(name: "r", kind: kind, match: patterns.map(CategoryPattern.init), minCount: Int.random(in: 1...1_000, using: &rng),
                    groupBy: Array(groupBy), severity: .medium, minBaselineWeeks: minBaselineWeeks)
    })

    @Test func everyRuleRoundTrips() async {
        await propertyCheck(count: 2_000, input: Self.rule) { rule in
            let text = RuleDefinition.encode(rule)
            #expect(!text.contains("\n"), "one line")
            let decoded = try RuleDefinition.decode(text, name: rule.name, severity: rule.severity)
            #expect(decoded == rule, "\(text)")
            #expect(RuleDefinition.encode(decoded) == text)
        }
    }

    /// Strict: a changed byte of a stored definition either throws or is
    /// again a canonical text, which then says exactly what it reads as.
    @Test func aChangedDefinitionIsReadExactlyOrRefused() async {
        let input = zip(Self.rule, Gen.int(in: 0...10_000), Gen.element(of: Array("v1;=:,%0Aabz*.-9 ")))
        await propertyCheck(count: 2_000, input: input) { rule, position, replacement in
            var bytes = Array(RuleDefinition.encode(rule))
            bytes[position % bytes.count] = replacement!
            let text = String(bytes)
            if let decoded = try? RuleDefinition.decode(text, name: "r") {
                #expect(RuleDefinition.encode(decoded) == text)
            }
        }
    }

    @Test func theFormIsTheDocumentedOne() throws {
        let week = Rule(name: "w", kind: .threshold(window: .week), match: [CategoryPattern("grooming"), CategoryPattern("sextortion.*")],
                        minCount: 5, groupBy: [.site], severity: .high)
        #expect(RuleDefinition.encode(week) == "v1;threshold;window=week;match=2:grooming,sextortion.*;group_by=1:site;min_count=5")
        let rise = Rule(name: "r", kind: .rise(baselineWeeks: 6, factor: 2.5), match: [CategoryPattern("grooming")],
                        minCount: 5, groupBy: [], severity: .low)
        #expect(RuleDefinition.encode(rise)
                == "v1;rise;baseline_weeks=6;factor=2.5;min_baseline_weeks=3;match=1:grooming;group_by=0:;min_count=5")
        let odd = Rule(name: "o", kind: .threshold(window: .day), match: [CategoryPattern("a,b;c"), CategoryPattern("")],
                       minCount: 5, groupBy: [.cohortGroup, .channelGroup], severity: .low)
        #expect(RuleDefinition.encode(odd) == "v1;threshold;window=day;match=2:a%2Cb%3Bc,;group_by=2:cohort_group,channel_group;min_count=5")
    }

    /// Neither the severity nor a threshold rule's min_baseline_weeks
    /// decides which pupils an alert counts: changing them keeps the
    /// definition (and the alert the same alert).
    @Test func severityAndAThresholdsBaselineAreNoPartOfIt() {
        let a = Rule(name: "a", kind: .threshold(window: .week), match: [CategoryPattern("grooming")], minCount: 5, groupBy: [],
                     severity: .high, minBaselineWeeks: 2)
        var b = a
        b.severity = .low
        b.minBaselineWeeks = 5
        b.name = "b"
        #expect(RuleDefinition.encode(a) == RuleDefinition.encode(b))
        var c = a
        c.match.append(CategoryPattern("image.*"))
        #expect(RuleDefinition.encode(a) != RuleDefinition.encode(c))
    }

    @Test func textsThatAreNotTheFormAreRefused() {
        func error(_ text: String) -> RuleDefinitionError? {
            do { _ = try RuleDefinition.decode(text, name: "r"); return nil } catch { return error }
        }
        #expect(error("") == .notADefinition)
        #expect(error("v2;threshold;window=week;match=1:grooming;group_by=0:;min_count=5") == .unknownVersion)
        #expect(error("v1;threshold;match=1:grooming;window=week;group_by=0:;min_count=5") == .missingField("window"))
        #expect(error("v1;threshold;window=month;match=1:grooming;group_by=0:;min_count=5") == .badValue("window"))
        #expect(error("v1;threshold;window=week;match=2:grooming;group_by=0:;min_count=5") == .badValue("match"))
        #expect(error("v1;threshold;window=week;match=1:groom%6eing;group_by=0:;min_count=5") == .badValue("match"))
        #expect(error("v1;threshold;window=week;match=1:groom%6Eing;group_by=0:;min_count=5") == .notCanonical)
        #expect(error("v1;threshold;window=week;match=1:grooming;group_by=1:room;min_count=5") == .badValue("group_by"))
        #expect(error("v1;threshold;window=week;match=1:grooming;group_by=0:;min_count=05") == .notCanonical)
        #expect(error("v1;threshold;window=week;match=1:grooming;group_by=0:;min_count=5;extra") == .notCanonical)
        #expect(error("v1;rise;baseline_weeks=6;factor=nan;min_baseline_weeks=3;match=1:grooming;group_by=0:;min_count=5")
                == .badValue("factor"))
        #expect(error("v1;rise;baseline_weeks=6;factor=2.50;min_baseline_weeks=3;match=1:grooming;group_by=0:;min_count=5")
                == .notCanonical)
        #expect(error("v1;weekly;window=week") == .missingField("kind"))
    }
}
