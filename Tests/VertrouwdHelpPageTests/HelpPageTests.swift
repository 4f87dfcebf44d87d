import Testing
import VertrouwdCore
@testable import VertrouwdHelpPage

/// The request handling end to end, without a socket: routes, the form's
/// token, exactly one signal per report, rate limits, and error pages
/// that never show what was sent.
@Suite struct HelpPageTests {
    let clock = ManualClock(Fixtures.start)
    let sink = RecordingSink()

    func page(_ edit: (inout HelpPageSettings) -> Void = { _ in }, sink: RecordingSink? = nil) -> HelpPage {
        let clock = clock
        return HelpPage(configuration: Fixtures.configuration(edit), sink: sink ?? self.sink, now: { clock.now })
    }

    func get(_ page: HelpPage, _ path: String = "/", cookie: String? = nil, peer: String = "192.0.2.7") async -> HelpResponse {
        await page.respond(HelpRequest(method: "GET", path: path, cookie: cookie, peer: peer))
    }

    func post(_ page: HelpPage, _ body: String, cookie: String?, peer: String = "192.0.2.7",
              type: String = "application/x-www-form-urlencoded") async -> HelpResponse {
        await page.respond(HelpRequest(method: "POST", path: "/report", cookie: cookie, contentType: type,
                                       peer: peer, body: .bytes(Array(body.utf8))))
    }

    /// GET the form, then POST it back with its cookie.
    func report(_ page: HelpPage, _ choices: String) async throws -> (HelpResponse, String) {
        let start = await get(page)
        let nonce = try #require(start.cookies[Cookies.form])
        let token = try #require(start.formToken)
        let cookie = "\(Cookies.form)=\(nonce)"
        return (await post(page, "token=\(token)&\(choices)", cookie: cookie), cookie)
    }

    @Test func theStartPageSetsASessionCookieAndAFormToken() async throws {
        let page = page()
        let response = await get(page)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("Cache-Control") == "no-store")
        let setCookie = try #require(response.header("Set-Cookie"))
        #expect(setCookie.hasPrefix("vt_form=") && setCookie.contains("SameSite=Strict") && !setCookie.contains("Max-Age"))
        #expect(response.formToken != nil)
        #expect(response.body.contains("lang=\"nl\""))
        let again = await get(page, cookie: "vt_form=\(response.cookies["vt_form"]!)")
        #expect(again.header("Set-Cookie") == nil, "a valid cookie is kept")
        #expect(await get(page, "/en").body.contains("lang=\"en\""))
        #expect(sink.drops.isEmpty, "looking at the page reports nothing")
    }

    @Test func aReportDropsExactlyOneSignalAndThanks() async throws {
        let page = page()
        let (response, _) = try await report(page, "lang=en&who=me&what=threat&platform=snapchat&year=klas-1")
        #expect(response.status == 200)
        #expect(response.body.contains(HelpText(language: .en).thanksHeading))
        #expect(response.body.contains(HelpText(language: .en).advice[0].0), "the same advice after the report")
        let subject = try #require(response.cookies[SubjectToken.cookie])
        #expect(SubjectToken.isValid(subject))
        #expect(response.header("Set-Cookie")!.contains("Max-Age=604800"))
        #expect(sink.drops.count == 1)
        let line = sink.drops[0]
        #expect(line.hasPrefix(#"{"v":1,"id":"hp-"#))
        #expect(line.hasSuffix(#","ts":"2026-12-03T18:00:00Z","source":"helppage","category":"sextortion.threat","site":"hoofdgebouw","cohort":"klas-1","channel":"snapchat","subject":""# + subject + "\"}\n"),
                "the browser's token is the pupil's subject")
    }

    @Test func theSameFormSentTwiceCountsOnce() async throws {
        let page = page()
        let start = await get(page)
        let cookie = "vt_form=\(start.cookies["vt_form"]!)"
        let body = "token=\(start.formToken!)&who=friend&what=shared"
        let first = await post(page, body, cookie: cookie)
        let second = await post(page, body, cookie: cookie)
        #expect(first.status == 200 && second.status == 200)
        #expect(second.body.contains(HelpText(language: .nl).alreadyHeading))
        #expect(sink.drops.count == 1)
    }

    @Test func aFormWithoutItsCookieOrWithAnotherIsRefused() async throws {
        let page = page()
        let start = await get(page)
        let body = "token=\(start.formToken!)&who=me&what=threat"
        #expect(await post(page, body, cookie: nil).status == 403)
        #expect(await post(page, body, cookie: "vt_form=AAAAAAAAAAAAAAAAAAAAAA").status == 403)
        clock.advance(Double(FormTokens.lifetime) + 1)
        #expect(await post(page, body, cookie: "vt_form=\(start.cookies["vt_form"]!)").status == 403, "expired")
        #expect(sink.drops.isEmpty)
    }

    @Test func aMissingChoiceShowsTheFormAgain() async throws {
        let (response, _) = try await report(page(), "who=me")
        #expect(response.status == 400)
        #expect(response.body.contains(HelpText(language: .nl).chooseSituation))
        #expect(response.formToken != nil)
        #expect(sink.drops.isEmpty)
    }

    @Test func errorPagesNeverShowWhatWasSent() async throws {
        let page = page()
        let marker = "MARKER%3Cscript%3E"
        let bad = try await report(page, "who=me&what=\(marker)").0
        #expect(bad.status == 400)
        let notFound = await get(page, "/\(marker)")
        #expect(notFound.status == 404)
        let wrongType = await post(page, "who=me", cookie: nil, type: "text/plain")
        #expect(wrongType.status == 400)
        let tooLarge = await page.respond(HelpRequest(method: "POST", path: "/report", contentType: "application/x-www-form-urlencoded",
                                                      peer: "192.0.2.7", body: .tooLarge))
        #expect(tooLarge.status == 413)
        for response in [bad, notFound, wrongType, tooLarge] {
            #expect(!response.body.contains("MARKER") && !response.body.contains("<script>"))
            #expect(response.body.contains(HelpContacts.emergency), "every error page still says where help is")
        }
        #expect(sink.drops.isEmpty)
    }

    @Test func methodsOutsideTheRoutesAre405() async {
        let page = page()
        let put = await page.respond(HelpRequest(method: "PUT", path: "/", peer: "p"))
        #expect(put.status == 405 && put.header("Allow") == "GET, HEAD")
        let getReport = await get(page, "/report")
        #expect(getReport.status == 405 && getReport.header("Allow") == "POST")
        let head = await page.respond(HelpRequest(method: "HEAD", path: "/", peer: "p"))
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test func oneClientIsLimitedAndOthersAreNot() async {
        let page = page { $0.requestsPerMinute = 60 }
        var statuses: [Int: Int] = [:]
        for _ in 0..<1_000 { statuses[(await get(page)).status, default: 0] += 1 }
        #expect(statuses == [200: 60, 429: 940])
        let limited = await get(page)
        #expect(limited.header("Retry-After") == "60")
        #expect(await get(page, peer: "192.0.2.8").status == 200, "another client")
        clock.advance(1)
        #expect(await get(page).status == 200, "a token back after a second")
    }

    @Test func reportsHaveTheirOwnTighterLimit() async throws {
        let page = page { $0.reportsPerHour = 2 }
        for _ in 0..<2 { #expect(try await report(page, "who=me&what=other").0.status == 200) }
        let third = try await report(page, "who=me&what=other").0
        #expect(third.status == 429)
        #expect(sink.drops.count == 2)
    }

    @Test func behindAProxyTheForwardedClientCounts() async {
        let page = page { $0.requestsPerMinute = 5; $0.trustForwardedFor = true }
        for _ in 0..<5 {
            _ = await page.respond(HelpRequest(method: "GET", path: "/", forwardedFor: "198.51.100.1, 203.0.113.9", peer: "127.0.0.1"))
        }
        #expect(await page.respond(HelpRequest(method: "GET", path: "/", forwardedFor: "203.0.113.9", peer: "127.0.0.1")).status == 429)
        #expect(await page.respond(HelpRequest(method: "GET", path: "/", forwardedFor: "203.0.113.10", peer: "127.0.0.1")).status == 200)
    }

    @Test func aSpoolThatCannotBeWrittenIs503AndTheFormCanBeSentAgain() async throws {
        let failing = RecordingSink(failing: true)
        let page = page(sink: failing)
        let start = await get(page)
        let cookie = "vt_form=\(start.cookies["vt_form"]!)"
        let body = "token=\(start.formToken!)&who=me&what=threat"
        let response = await post(page, body, cookie: cookie)
        #expect(response.status == 503)
        #expect(response.body.contains(HelpText(language: .nl).errorText(503).0))
        #expect(await post(page, body, cookie: cookie).status == 503, "not taken for a repeat")
    }

    @Test func httpsBehindTheProxyMakesCookiesSecure() async {
        let response = await page().respond(HelpRequest(method: "GET", path: "/", forwardedProto: "https", peer: "p"))
        #expect(response.header("Set-Cookie")!.hasSuffix("; Secure"))
    }
}
