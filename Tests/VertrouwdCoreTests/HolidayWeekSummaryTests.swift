import Foundation
import Testing
import VertrouwdCore

/// A summary of a holiday week says so, in one line under its title, and
/// is otherwise the same summary (issue 15 §2). The golden files of the
/// summary (SummaryMessageTests) cover the rest of the rendering.
@Suite struct HolidayWeekSummaryTests {
    static let notes: [Language: String] = [
        .nl: "Vakantieweek: de school was deze week grotendeels dicht, dus weinig signalen zijn gewoon.",
        .en: "Holiday week: the school was mostly closed this week, so few signals are to be expected.",
    ]

    func message(_ holiday: Bool, _ language: Language) -> SummaryMessage {
        var content = SummarySamples.quiet
        content.holidayWeek = holiday
        return SummaryMessage(content, taxonomy: messageTaxonomy, schoolName: "Voorbeeldcollege", language: language, k: 5)
    }

    @Test(arguments: Language.allCases)
    func textMarksTheHolidayWeekUnderItsTitle(language: Language) throws {
        let note = try #require(Self.notes[language])
        let holiday = message(true, language).text
        let ordinary = message(false, language).text
        let lines = holiday.components(separatedBy: "\n")
        #expect(lines[2] == note && lines[3] == "")
        // Nothing else changes: the line and its blank line are all that is added.
        var without = lines
        without.removeSubrange(2...3)
        #expect(without.joined(separator: "\n") == ordinary)
        #expect(!ordinary.contains(note))
    }

    @Test(arguments: Language.allCases)
    func htmlMarksTheHolidayWeek(language: Language) throws {
        let note = try #require(Self.notes[language])
        let holiday = message(true, language).html
        #expect(holiday.contains("<p style=\"margin:0 0 16px 0;\"><strong>\(note)</strong></p>"))
        #expect(holiday.replacingOccurrences(of: "<p style=\"margin:0 0 16px 0;\"><strong>\(note)</strong></p>\n", with: "")
            == message(false, language).html)
    }

    @Test func jsonCarriesTheFlagOnlyForAHolidayWeek() throws {
        let holiday = try #require(try JSONSerialization.jsonObject(with: Data(message(true, .nl).json.utf8)) as? [String: Any])
        #expect(holiday["holiday_week"] as? Bool == true)
        let ordinary = try #require(try JSONSerialization.jsonObject(with: Data(message(false, .nl).json.utf8)) as? [String: Any])
        #expect(ordinary["holiday_week"] == nil)
    }
}
