import Testing
@testable import VertrouwdHelpPage

/// The form token binds a form to the browser's cookie and to this
/// process; the subject token is a week-long random pseudonym.
@Suite struct TokenTests {
    let random = CountingRandom()
    let now: Int64 = 1_796_323_035

    @Test func aTokenVerifiesForItsNonceUntilItExpires() {
        let tokens = FormTokens(random: random)
        let nonce = tokens.nonce(random: random)
        #expect(FormTokens.isNonce(nonce))
        let token = tokens.token(nonce: nonce, now: now)
        #expect(tokens.verify(token: token, nonce: nonce, now: now))
        #expect(tokens.verify(token: token, nonce: nonce, now: now + FormTokens.lifetime))
        #expect(!tokens.verify(token: token, nonce: nonce, now: now + FormTokens.lifetime + 1), "expired")
    }

    @Test func aTokenFailsForAnotherNonceKeyOrExpiry() {
        let tokens = FormTokens(random: random)
        let nonce = tokens.nonce(random: random)
        let other = tokens.nonce(random: random)
        let token = tokens.token(nonce: nonce, now: now)
        #expect(!tokens.verify(token: token, nonce: other, now: now), "a cookie from another browser")
        #expect(!FormTokens(random: random).verify(token: token, nonce: nonce, now: now), "another process's key")
        let mac = token.split(separator: ".")[1]
        #expect(!tokens.verify(token: "\(now + FormTokens.lifetime + 100).\(mac)", nonce: nonce, now: now), "a stretched expiry")
        #expect(!tokens.verify(token: "\(now + 60).\(mac)", nonce: nonce, now: now), "an edited expiry")
        #expect(!tokens.verify(token: String(token.dropLast()), nonce: nonce, now: now))
        #expect(!tokens.verify(token: "", nonce: nonce, now: now))
        #expect(!tokens.verify(token: token, nonce: "", now: now))
    }

    @Test func aFormCountsOnceUntilItIsForgotten() {
        var answered = AnsweredForms(capacity: 2)
        func first(_ token: String, expiry: Int64, now: Int64) -> Bool { answered.firstAnswer(token, expiry: expiry, now: now) }
        #expect(first("a", expiry: now + 10, now: now))
        #expect(!first("a", expiry: now + 10, now: now))
        answered.forget("a")
        #expect(first("a", expiry: now + 10, now: now))
        #expect(first("b", expiry: now + 10, now: now))
        #expect(!first("c", expiry: now + 10, now: now), "full: refused, memory stays bounded")
        #expect(first("c", expiry: now + 30, now: now + 11), "expired entries make room")
        #expect(answered.count == 1)
    }

    @Test func subjectTokensFitTheSignalsSubjectFormat() {
        let subject = SubjectToken.make(random: SystemRandomBytes())
        #expect(SubjectToken.isValid(subject))
        #expect((16...64).contains(subject.count))
        #expect(subject.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        #expect(SubjectToken.maxAge == 604_800)
        #expect(!SubjectToken.isValid("short"))
        #expect(!SubjectToken.isValid(String(repeating: "a", count: 27) + "="))
        #expect(!SubjectToken.isValid("NL91ABNA0417164300abcdefghij"), "digits: an old or forged token is replaced")
        #expect(subject.allSatisfy { $0 >= "a" && $0 <= "z" } && subject.count == 28)
        #expect(SubjectToken.make(random: SystemRandomBytes()) != subject)
    }

    @Test func cookiesAreReadExactlyAndWrittenStrict() {
        #expect(Cookies.value("vt_form", in: "a=1; vt_form=xyz; b=2") == "xyz")
        #expect(Cookies.value("vt_form", in: "vt_form=1; vt_form=2") == nil, "ambiguous")
        #expect(Cookies.value("vt_form", in: "xvt_form=1") == nil)
        #expect(Cookies.value("vt_form", in: nil) == nil)
        #expect(Cookies.setCookie("vt_subject", "v", maxAge: 604_800, secure: true)
                == "vt_subject=v; HttpOnly; SameSite=Strict; Max-Age=604800; Secure")
        #expect(!Cookies.setCookie("vt_form", "v", secure: false).contains("Path"), "scoped to the proxy's prefix")
    }

    @Test func base64URLMatchesTheStandard() {
        #expect(Base64URL.encode(Array("any carnal pleasure.".utf8)) == "YW55IGNhcm5hbCBwbGVhc3VyZS4")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode([]) == "")
    }
}
