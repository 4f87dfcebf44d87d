import PropertyBased
import Testing
import VertrouwdCore
@testable import VertrouwdHelpPage

/// The report form accepts only its closed lists (no free text anywhere)
/// and names what is wrong with a reason code, never the value.
@Suite struct ReportFormTests {
    let model = Fixtures.model()

    func parse(_ text: String) -> Result<ReportForm, ReportForm.Rejection> {
        ReportForm.parse(Array(text.utf8), model: model)
    }

    func reason(_ text: String) -> ReportForm.Rejection.Reason? {
        if case .failure(let r) = parse(text) { return r.reason }
        return nil
    }

    @Test func aFullReportParses() throws {
        let form = try parse("token=1.abc&lang=en&who=friend&what=payment&platform=instagram&year=klas-4").get()
        #expect(form == ReportForm(token: "1.abc", language: .en, aboutFriend: true, situation: .payment,
                                   channel: "instagram", cohort: "klas-4"))
    }

    @Test func ratherNotSayMeansUnknown() throws {
        let form = try parse("token=t&who=me&what=threat&platform=unknown&year=unknown").get()
        #expect(form.channel == nil && form.cohort == nil && !form.aboutFriend)
        #expect(form.language == .nl, "the page's default language when the form does not say")
    }

    @Test func formEncodingIsDecoded() throws {
        #expect(reason("token=a%2Eb&who=me&what=other&platform=other+") == .invalidValue, "\"other \" is not a channel")
        #expect(try parse("token=a%2Eb&who=me&what=other").get().token == "a.b")
    }

    @Test(arguments: [
        ("token=t&who=me&what=threat&name=Jan", ReportForm.Rejection.Reason.unknownField),
        ("token=t&who=me&what=threat&message=help", .unknownField),
        ("token=t&who=me&who=friend&what=threat", .duplicateField),
        ("token=t&who=me&what=blackmail", .invalidValue),
        ("token=t&who=us&what=threat", .invalidValue),
        ("token=t&who=me&what=threat&platform=myspace", .invalidValue),
        ("token=t&who=me&what=threat&year=klas-9", .invalidValue),
        ("token=t&who=me&what=threat&lang=de", .invalidValue),
        ("who=me&what=threat", .missingToken),
        ("token=t&what=threat", .missingChoice),
        ("token=t&who=me", .missingChoice),
        ("token=t&who=me&what=%zz", .malformed),
        ("token=t&who=me&what", .malformed),
        ("token=t&who=me&what=%C3", .malformed),
    ])
    func rejections(body: String, expected: ReportForm.Rejection.Reason) {
        #expect(reason(body) == expected, "\(body)")
    }

    @Test func aYearGroupIsRefusedWhenTheFormDoesNotAskForIt() {
        let model = Fixtures.model { $0.askYearGroup = false }
        let result = ReportForm.parse(Array("token=t&who=me&what=threat&year=klas-1".utf8), model: model)
        guard case .failure(let r) = result else { Issue.record("accepted"); return }
        #expect(r.reason == .invalidValue)
    }

    @Test func aSituationLeftOffTheFormIsRefused() {
        let model = Fixtures.model { $0.situations[.distress] = nil }
        #expect(!model.situations.contains(.distress))
        let result = ReportForm.parse(Array("token=t&who=me&what=distress".utf8), model: model)
        guard case .failure(let r) = result else { Issue.record("accepted"); return }
        #expect(r.reason == .invalidValue)
    }

    @Test func aRejectionKeepsTheLanguageItCouldRead() {
        guard case .failure(let r) = parse("lang=en&token=t&who=me&what=nope") else { Issue.record("accepted"); return }
        #expect(r.language == .en)
    }

    /// Any bytes at all: a report whose every value is from a closed list,
    /// or a rejection; never a crash.
    @Test func arbitraryBodiesAreReportsOrRejections() async {
        let alphabet = Array("token=&whomeafrindplatformyearklas-14instagramthreat%2B+lang".utf8) + [0xC3, 0x00, 0xFF]
        let bodies = Gen<UInt8?>.element(of: alphabet).array(of: 0...80).map { $0.compactMap { $0 } }
        await propertyCheck(count: 2_000, input: bodies) { bytes in
            switch ReportForm.parse(bytes, model: model) {
            case .success(let form):
                #expect(model.situations.contains(form.situation))
                #expect(form.channel.map(model.channels.contains) ?? true)
                #expect(form.cohort.map(model.cohorts.contains) ?? true)
            case .failure:
                break
            }
        }
    }
}
