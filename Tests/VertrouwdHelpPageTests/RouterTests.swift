import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import VertrouwdCore
@testable import VertrouwdHelpPage

/// The HTTP layer through Hummingbird's test client: headers, the body
/// cap, and a report from GET to thank-you page.
@Suite struct RouterTests {
    let sink = RecordingSink()

    func application(_ edit: (inout HelpPageSettings) -> Void = { _ in }) -> some ApplicationProtocol {
        let configuration = Fixtures.configuration(edit)
        let page = HelpPage(configuration: configuration, sink: sink, now: { Fixtures.start })
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return HelpPageServer.application(page: page, settings: configuration.helpPage!, logger: logger) { _, _ in }
    }

    @Test(arguments: ["router", "live"])
    func aReportFromStartToThanks(setup: String) async throws {
        try await application().test(setup == "router" ? .router : .live) { client in
            let start = try await client.execute(uri: "/", method: .get)
            #expect(start.status == .ok)
            #expect(start.headers[.contentType] == "text/html; charset=utf-8")
            #expect(start.headers[HTTPField.Name("Content-Security-Policy")!]?.hasPrefix("default-src 'none'") == true)
            let cookie = try #require(start.headers[.setCookie]).split(separator: ";")[0]
            let html = String(buffer: start.body)
            let token = try #require(html.range(of: "name=\"token\" value=\"")).upperBound
            let value = html[token...].prefix { $0 != "\"" }
            let body = "token=\(value)&lang=nl&who=me&what=payment&platform=discord&year=unknown"
            let thanks = try await client.execute(
                uri: "/report", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: String(cookie)],
                body: ByteBuffer(string: body))
            #expect(thanks.status == .ok)
            #expect(String(buffer: thanks.body).contains(HelpText(language: .nl).thanksHeading))
            #expect(thanks.headers[values: .setCookie].contains { $0.hasPrefix("vt_subject=") })
        }
        #expect(sink.drops.count == 1)
        #expect(sink.drops.first?.contains(#""category":"sextortion.payment","site":"hoofdgebouw","channel":"discord","subject":""#) == true)
    }

    @Test func anOversizedBodyIs413() async throws {
        try await application().test(.router) { client in
            let response = try await client.execute(
                uri: "/report", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: String(repeating: "a", count: HelpPage.maxBodyBytes + 1)))
            #expect(response.status == .contentTooLarge)
            #expect(!String(buffer: response.body).contains("aaaa"))
        }
        #expect(sink.drops.isEmpty)
    }

    @Test func unknownPathsAndMethodsGetTheirOwnPages() async throws {
        try await application().test(.router) { client in
            let notFound = try await client.execute(uri: "/wp-admin?x=<b>", method: .get)
            #expect(notFound.status == .notFound)
            #expect(String(buffer: notFound.body).contains(HelpText(language: .nl).errorText(404).0))
            #expect(!String(buffer: notFound.body).contains("wp-admin"))
            let delete = try await client.execute(uri: "/", method: .delete)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, HEAD")
            let query = try await client.execute(uri: "/en?utm_source=x", method: .get)
            #expect(query.status == .ok && String(buffer: query.body).contains("lang=\"en\""))
        }
    }
}
