import Testing
@testable import VertrouwdCore
@testable import VertrouwdHelpPage

/// A report is one signal the daemon's own validator accepts, with
/// nothing in it that a pupil typed or that pins a moment.
@Suite struct ReportSignalTests {
    let configuration = Fixtures.configuration()
    var model: HelpPageModel { HelpPageModel(settings: configuration.helpPage!, taxonomy: configuration.taxonomy) }
    let now: Int64 = 1_796_323_035  // 2026-12-03T18:37:15Z

    @Test func theLineIsExactlyTheSignal() {
        let form = ReportForm(token: "t", language: .nl, aboutFriend: false, situation: .payment, channel: "instagram", cohort: "klas-4")
        let line = ReportSignal.line(for: form, model: model, id: "hp-0123456789abcdef0123456789abcdef", now: now, subject: "abcdefghijklmnopqrstuvwxyzab")
        #expect(line == #"{"v":1,"id":"hp-0123456789abcdef0123456789abcdef","ts":"2026-12-03T18:00:00Z","source":"helppage","category":"sextortion.payment","site":"hoofdgebouw","cohort":"klas-4","channel":"instagram","subject":"abcdefghijklmnopqrstuvwxyzab"}"# + "\n")
    }

    @Test(arguments: HelpSituation.allCases)
    func everySituationValidates(situation: HelpSituation) throws {
        let validator = SignalValidator(taxonomy: configuration.taxonomy, sources: configuration.sources, ingest: configuration.ingest)
        let form = ReportForm(token: "t", language: .en, aboutFriend: true, situation: situation, channel: nil, cohort: nil)
        let line = ReportSignal.line(for: form, model: model, id: ReportSignal.makeID(random: SystemRandomBytes()), now: now, subject: nil)
        let signal = try validator.validate(line: String(line.dropLast()), now: now).get()
        #expect(signal.source == "helppage")
        #expect(signal.category == situation.defaultCategory)
        #expect(signal.timestamp == now - now % 3_600)
        #expect(signal.channel == nil && signal.cohort == nil)
        #expect(signal.count == 1)
    }

    /// The browser's token goes in as the pupil's `subject`, and the
    /// daemon's own validator (PII gate included) accepts every token the
    /// page makes: letters only, nothing that looks like an IBAN or digits.
    @Test func theSubjectCountsTheBrowserAsOnePupil() throws {
        #expect(ReportSignal.carriesSubject)
        let validator = SignalValidator(taxonomy: configuration.taxonomy, sources: configuration.sources, ingest: configuration.ingest)
        let form = ReportForm(token: "t", language: .nl, aboutFriend: false, situation: .threat, channel: nil, cohort: nil)
        for _ in 0..<2_000 {
            let subject = SubjectToken.make(random: SystemRandomBytes())
            let line = ReportSignal.line(for: form, model: model, id: ReportSignal.makeID(random: SystemRandomBytes()), now: now, subject: subject)
            let signal = try validator.validate(line: String(line.dropLast()), now: now).get()
            #expect(signal.subject == subject)
        }
    }

    @Test func idsAreRandomAndWellFormed() {
        let ids = (0..<100).map { _ in ReportSignal.makeID(random: SystemRandomBytes()) }
        #expect(Set(ids).count == 100)
        for id in ids {
            #expect(id.count == 35 && id.hasPrefix("hp-"))
            #expect(id.dropFirst(3).allSatisfy { $0.isHexDigit })
        }
    }

    @Test func hoursAreFlooredInUTC() {
        #expect(ReportSignal.hourText(0) == "1970-01-01T00:00:00Z")
        #expect(ReportSignal.hourText(3_599) == "1970-01-01T00:00:00Z")
        #expect(ReportSignal.hourText(1_796_323_035) == "2026-12-03T18:00:00Z")
        #expect(ReportSignal.hourText(951_782_400 + 86_399) == "2000-02-29T23:00:00Z")
    }
}
