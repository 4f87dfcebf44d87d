import Foundation
import PropertyBased
import Testing
import VertrouwdCore

@Suite struct IntervalTests {
    @Test(arguments: [("90s", 90), ("15m", 900), ("36h", 129_600), ("7d", 604_800), ("2w", 1_209_600), ("0s", 0)] as [(String, Int64)])
    func parsesEveryUnit(text: String, seconds: Int64) {
        #expect(Interval(parsing: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "s", "15", "1.5h", "-5m", "+5m", " 5m", "5m ", "1h30m", "5M", "5 m", "5y", "99999999999999w", "١٥m"])
    func rejectsAnythingElse(text: String) {
        #expect(Interval(parsing: text) == nil)
    }

    @Test func printsTheShortestExactForm() {
        #expect(Interval(seconds: 3_600).description == "1h")
        #expect(Interval(seconds: 90).description == "90s")
        #expect(Interval(seconds: 1_209_600).description == "2w")
        #expect(Interval(seconds: 691_200).description == "8d")
        #expect(Interval.zero.description == "0s")
    }

    @Test func spellsOutEveryUnitForMessages() {
        #expect(Interval(seconds: 605_100).spelledOut == "1w 5m")
        #expect(Interval(seconds: 90).spelledOut == "1m 30s")
        #expect(Interval.days(3).spelledOut == "3d")
        #expect(Interval.zero.spelledOut == "0s")
    }

    @Test func printedIntervalsParseBack() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...100_000_000)) { n in
            let interval = Interval(seconds: Int64(n))
            #expect(Interval(parsing: interval.description) == interval)
        }
    }
}

@Suite struct WeeklyScheduleTests {
    @Test func parsesDayAndTime() {
        #expect(WeeklySchedule(parsing: "mon 07:30") == WeeklySchedule(weekday: .monday, hour: 7, minute: 30))
        #expect(WeeklySchedule(parsing: "sun 23:59") == WeeklySchedule(weekday: .sunday, hour: 23, minute: 59))
        #expect(WeeklySchedule(parsing: "Tue  02:30") == WeeklySchedule(weekday: .tuesday, hour: 2, minute: 30))
    }

    @Test(arguments: ["monday 07:30", "mon 7:30", "mon 24:00", "mon 07:60", "mon", "07:30", "mon 07:30 x", "mon 07.30", "mon 0730"])
    func rejectsOtherForms(text: String) {
        #expect(WeeklySchedule(parsing: text) == nil)
    }

    @Test func printedSchedulesParseBack() async {
        let gen = zip(Gen.int(in: 0...6), Gen.int(in: 0...23), Gen.int(in: 0...59))
        await propertyCheck(count: 300, input: gen) { day, hour, minute in
            let schedule = WeeklySchedule(weekday: WeeklySchedule.Weekday.allCases[day], hour: hour, minute: minute)
            #expect(WeeklySchedule(parsing: schedule.description) == schedule)
        }
    }
}

@Suite struct EndpointTests {
    @Test func parsesHostAndPort() {
        #expect(Endpoint(parsing: "127.0.0.1:25") == Endpoint(host: "127.0.0.1", port: 25))
        #expect(Endpoint(parsing: "smtp.school.nl:587") == Endpoint(host: "smtp.school.nl", port: 587))
        #expect(Endpoint(parsing: "[::1]:25") == Endpoint(host: "::1", port: 25))
        #expect(Endpoint(parsing: "[::1]:25")?.description == "[::1]:25")
    }

    @Test(arguments: ["127.0.0.1", ":25", "host:", "host:0", "host:65536", "::1:25", "[::1]25", "ho st:25", "host:25x", "host:-1"])
    func rejectsMalformed(text: String) {
        #expect(Endpoint(parsing: text) == nil)
    }
}

@Suite struct VocabularyTests {
    @Test func categoryPatterns() {
        #expect(CategoryPattern("sextortion.*").matches("sextortion.payment"))
        #expect(!CategoryPattern("sextortion.*").matches("grooming"))
        #expect(CategoryPattern("*").matches("grooming"))
        #expect(CategoryPattern("grooming").matches("grooming"))
        #expect(!CategoryPattern("grooming").matches("grooming.online"))
    }

    @Test func groupsKeepFirstSeenOrder() {
        let v = Vocabulary(grouped: [("klas-1", "onderbouw"), ("klas-4", "bovenbouw"), ("klas-2", "onderbouw")])
        #expect(v.groupNames == ["onderbouw", "bovenbouw"])
        #expect(v.group(of: "klas-2") == "onderbouw")
        #expect(v.group(of: "klas-9") == nil)
    }

    @Test(arguments: [("klas-1", true), ("sextortion.payment", true), ("help_seeking", true), ("4havo", true),
                      ("Klas-1", false), ("klas 1", false), ("", false), ("-x", false), (".x", false),
                      ("x@y.nl", false), ("ë", false), (String(repeating: "a", count: 65), false)])
    func wellFormedValues(value: String, ok: Bool) {
        #expect(Vocabulary.isWellFormed(value) == ok)
    }

    @Test func severitiesAreOrdered() {
        #expect(Severity.low < .medium && Severity.medium < .high)
    }
}

@Suite struct LocalDayTests {
    @Test func daysFollowTheSchoolsZone() throws {
        let amsterdam = try #require(TimeZone(identifier: "Europe/Amsterdam"))
        // 2026-11-29T23:30:00Z is already the 30th in Amsterdam (UTC+1).
        #expect(LocalDay.string(for: 1_795_995_000, in: amsterdam) == "2026-11-30")
        #expect(LocalDay.string(for: 1_795_995_000, in: .gmt) == "2026-11-29")
    }

    @Test func countsBelowKAreNeverShown() async {
        await propertyCheck(count: 300, input: Gen.int(in: 3...20), Gen.int(in: 0...100)) { k, n in
            var policy = PrivacyPolicy()
            policy.minGroupSize = k
            let shown = policy.shown(n)
            if n < k { #expect(shown == "<\(k)") } else { #expect(Int(shown) == n && n >= k) }
        }
    }
}
