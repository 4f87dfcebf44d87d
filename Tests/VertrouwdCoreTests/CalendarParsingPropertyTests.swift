import Foundation
import PropertyBased
import Testing
import VertrouwdCore

/// The calendar's parsers (`LocalDate`, `QuietHours`): what they print
/// they read back, and no string makes them accept something else.
@Suite("Calendar parsing properties")
struct CalendarParsingPropertyTests {
    static let dayNumber = Generator<Int64, Shrink.None<Int64>>(run: { rng in
        // 1900-01-01 … 2199-12-31.
        Int64.random(in: -25_567...84_005, using: &rng)
    })

    static let text = Generator<String, Shrink.None<String>>(run: { rng in
        rng.string(from: "0123456789:-. aT\u{FF10}", count: Int.random(in: 0...14, using: &rng))
    })

    static let times = Generator<(Int, Int), Shrink.None<(Int, Int)>>(run: { rng in
        (Int.random(in: 0..<1_440, using: &rng) * 60, Int.random(in: 0..<1_440, using: &rng) * 60)
    })

    @Test func everyDateReadsBackAsItself() async {
        await propertyCheck(count: 2_000, input: Self.dayNumber) { day in
            let date = LocalDate(parsing: Self.label(day))
            #expect(date?.dayNumber == day, "\(Self.label(day))")
            #expect(date?.description == Self.label(day))
        }
    }

    @Test func quietHoursReadBackAsThemselves() async {
        await propertyCheck(count: 2_000, input: Self.times) { start, end in
            let text = "\(Self.clock(start))-\(Self.clock(end))"
            let quiet = QuietHours(parsing: text)
            if start == end {
                #expect(quiet == nil, "\(text)")
            } else {
                #expect(quiet?.start == start && quiet?.end == end && quiet?.description == text, "\(text)")
            }
        }
    }

    /// Random strings: accepted only when they print back the same.
    @Test func randomTextIsAcceptedOnlyInItsCanonicalForm() async {
        await propertyCheck(count: 5_000, input: Self.text) { text in
            if let date = LocalDate(parsing: text) { #expect(date.description == text) }
            if let quiet = QuietHours(parsing: text) { #expect(quiet.description == text) }
        }
    }

    /// "YYYY-MM-DD" of a day number, by Foundation (an independent oracle).
    static func label(_ day: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(day * 86_400)))
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func clock(_ seconds: Int) -> String { String(format: "%02d:%02d", seconds / 3_600, seconds % 3_600 / 60) }
}
