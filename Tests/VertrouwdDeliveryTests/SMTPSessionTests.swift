import Testing
import VertrouwdCore
@testable import VertrouwdDelivery

/// Drives the pure SMTP state machine with scripted replies: no sockets.
@Suite("SMTP session state machine")
struct SMTPSessionTests {
    typealias Action = SMTPSession.Action

    static func config(_ tls: EmailSettings.StartTLS = .opportunistic, user: String? = nil,
                       password: String? = nil, loopback: Bool = false) -> SMTPSession.Configuration {
        .init(heloName: "vertrouwd.school.example", from: "v@school.example", to: "vp@school.example",
              startTLS: tls, relayIsLoopback: loopback, username: user, password: password)
    }

    /// Feeds the lines of one reply ("250-a", "250 b") and returns the last action.
    @discardableResult
    static func reply(_ session: inout SMTPSession, _ lines: String...) -> Action {
        var action = Action.wait
        for (i, line) in lines.enumerated() {
            action = session.receive(SMTPReplyLine(parsing: line)!)
            if i < lines.count - 1 { #expect(action == .wait, "continuation line answered") }
        }
        return action
    }

    static let ehloPlain = ["250-relay.example", "250-PIPELINING", "250 8BITMIME"]
    static let ehloTLS = ["250-relay.example", "250-STARTTLS", "250 SIZE 1000000"]
    static let ehloAuth = ["250-relay.example", "250-AUTH PLAIN LOGIN", "250 8BITMIME"]

    @discardableResult
    static func replyLines(_ session: inout SMTPSession, _ lines: [String]) -> Action {
        var action = Action.wait
        for line in lines { action = session.receive(SMTPReplyLine(parsing: line)!) }
        return action
    }

    /// MAIL FROM → RCPT TO → DATA → message → QUIT → delivered.
    static func finishEnvelope(_ s: inout SMTPSession) {
        #expect(reply(&s, "250 2.1.0 ok") == .send("RCPT TO:<vp@school.example>"))
        #expect(reply(&s, "250 2.1.5 ok") == .send("DATA"))
        #expect(reply(&s, "354 go ahead") == .sendMessage)
        #expect(reply(&s, "250 2.0.0 queued") == .send("QUIT"))
        #expect(reply(&s, "221 bye") == .close(.delivered))
        #expect(s.isFinished)
    }

    @Test("reply lines: code, text, continuation")
    func parsing() {
        #expect(SMTPReplyLine(parsing: "250-PIPELINING") == .init(code: 250, text: "PIPELINING", isLast: false))
        #expect(SMTPReplyLine(parsing: "220 hi there") == .init(code: 220, text: "hi there", isLast: true))
        #expect(SMTPReplyLine(parsing: "250") == .init(code: 250, text: "", isLast: true))
        #expect(SMTPReplyLine(parsing: "hello") == nil)
        #expect(SMTPReplyLine(parsing: "25") == nil)
        #expect(SMTPReplyLine(parsing: "250x") == nil)
        #expect(SMTPReplyLine(parsing: "650 no") == nil)
    }

    @Test("plain: greeting → EHLO → MAIL → RCPT → DATA → message → QUIT")
    func plainPath() {
        var s = SMTPSession(configuration: Self.config(.off))
        #expect(Self.reply(&s, "220 relay ESMTP") == .send("EHLO vertrouwd.school.example"))
        #expect(Self.replyLines(&s, Self.ehloTLS) == .send("MAIL FROM:<v@school.example>"))
        Self.finishEnvelope(&s)
    }

    @Test("a multi-line greeting waits for its last line")
    func multiLineGreeting() {
        var s = SMTPSession(configuration: Self.config(.off))
        #expect(Self.reply(&s, "220-relay", "220-welcome", "220 ESMTP") == .send("EHLO vertrouwd.school.example"))
    }

    @Test("EHLO refused with 5xx → HELO, then the envelope (no STARTTLS possible)")
    func heloFallback() {
        var s = SMTPSession(configuration: Self.config(.opportunistic))
        Self.reply(&s, "220 old relay")
        #expect(Self.reply(&s, "502 command not implemented") == .send("HELO vertrouwd.school.example"))
        #expect(Self.reply(&s, "250 hello") == .send("MAIL FROM:<v@school.example>"))
        Self.finishEnvelope(&s)
    }

    @Test("HELO fallback with starttls = required → permanent")
    func heloRequired() {
        var s = SMTPSession(configuration: Self.config(.required))
        Self.reply(&s, "220 old relay")
        Self.reply(&s, "500 what")
        #expect(Self.reply(&s, "250 hello") == .send("QUIT"))
        #expect(Self.reply(&s, "221 bye") == .close(.permanent("relay does not offer STARTTLS")))
    }

    @Test("STARTTLS offered (required or opportunistic) → STARTTLS, TLS, EHLO again", arguments: [EmailSettings.StartTLS.required, .opportunistic])
    func startTLS(mode: EmailSettings.StartTLS) {
        var s = SMTPSession(configuration: Self.config(mode))
        Self.reply(&s, "220 relay")
        #expect(Self.replyLines(&s, Self.ehloTLS) == .send("STARTTLS"))
        #expect(Self.reply(&s, "220 2.0.0 ready") == .startTLS)
        #expect(s.tlsEstablished() == .send("EHLO vertrouwd.school.example"))
        // STARTTLS is not offered twice, and is not asked for again.
        #expect(Self.replyLines(&s, Self.ehloTLS) == .send("MAIL FROM:<v@school.example>"))
        Self.finishEnvelope(&s)
    }

    @Test("starttls = off ignores an offered STARTTLS")
    func startTLSOff() {
        var s = SMTPSession(configuration: Self.config(.off))
        Self.reply(&s, "220 relay")
        #expect(Self.replyLines(&s, Self.ehloTLS) == .send("MAIL FROM:<v@school.example>"))
    }

    @Test("starttls = required without STARTTLS offered → permanent")
    func requiredNotOffered() {
        var s = SMTPSession(configuration: Self.config(.required))
        Self.reply(&s, "220 relay")
        #expect(Self.replyLines(&s, Self.ehloPlain) == .send("QUIT"))
        #expect(Self.reply(&s, "221 bye") == .close(.permanent("relay does not offer STARTTLS")))
    }

    @Test("opportunistic without STARTTLS offered → plain text")
    func opportunisticPlain() {
        var s = SMTPSession(configuration: Self.config(.opportunistic))
        Self.reply(&s, "220 relay")
        #expect(Self.replyLines(&s, Self.ehloPlain) == .send("MAIL FROM:<v@school.example>"))
        Self.finishEnvelope(&s)
    }

    @Test("plain-text data after '220' to STARTTLS is refused (STARTTLS injection)")
    func injection() {
        var s = SMTPSession(configuration: Self.config(.required))
        Self.reply(&s, "220 relay")
        Self.replyLines(&s, Self.ehloTLS)
        #expect(Self.reply(&s, "220 ready") == .startTLS)
        #expect(Self.reply(&s, "250 injected") == .close(.retry("unexpected data before TLS handshake")))
    }

    @Test("STARTTLS refused: 454 → retry")
    func startTLSRefused() {
        var s = SMTPSession(configuration: Self.config(.required))
        Self.reply(&s, "220 relay")
        Self.replyLines(&s, Self.ehloTLS)
        #expect(Self.reply(&s, "454 4.7.0 TLS not available") == .send("QUIT"))
        #expect(s.failed("connection closed") == .close(.retry("STARTTLS refused (454 4.7.0)")))
    }

    @Test("TLS handshake failure → retry")
    func handshakeFailure() {
        var s = SMTPSession(configuration: Self.config(.required))
        Self.reply(&s, "220 relay")
        Self.replyLines(&s, Self.ehloTLS)
        Self.reply(&s, "220 ready")
        #expect(s.failed("TLS: relay certificate refused") == .close(.retry("TLS: relay certificate refused")))
        #expect(s.failed("connection closed") == .wait)
    }

    /// Through STARTTLS and the second EHLO, which offers `auth`.
    static func afterTLS(_ s: inout SMTPSession, auth: String) -> Action {
        reply(&s, "220 relay")
        _ = replyLines(&s, ehloTLS)
        reply(&s, "220 ready")
        _ = s.tlsEstablished()
        return replyLines(&s, ["250-relay.example", "250-\(auth)", "250 8BITMIME"])
    }

    @Test("AUTH PLAIN after TLS: \\0user\\0password in base64")
    func authPlain() {
        var s = SMTPSession(configuration: Self.config(.required, user: "vertrouwd", password: "geheim"))
        #expect(Self.afterTLS(&s, auth: "AUTH PLAIN LOGIN") == .send("AUTH PLAIN AHZlcnRyb3V3ZABnZWhlaW0="))
        #expect(Self.reply(&s, "235 2.7.0 ok") == .send("MAIL FROM:<v@school.example>"))
        Self.finishEnvelope(&s)
    }

    @Test("AUTH LOGIN when only LOGIN is offered (also as AUTH=LOGIN)", arguments: ["AUTH LOGIN", "AUTH=LOGIN"])
    func authLogin(offer: String) {
        var s = SMTPSession(configuration: Self.config(.required, user: "vertrouwd", password: "geheim"))
        #expect(Self.afterTLS(&s, auth: offer) == .send("AUTH LOGIN"))
        #expect(Self.reply(&s, "334 VXNlcm5hbWU6") == .send("dmVydHJvdXdk"))
        #expect(Self.reply(&s, "334 UGFzc3dvcmQ6") == .send("Z2VoZWlt"))
        #expect(Self.reply(&s, "235 ok") == .send("MAIL FROM:<v@school.example>"))
    }

    @Test("wrong password: 535 → permanent")
    func authFailed() {
        var s = SMTPSession(configuration: Self.config(.required, user: "vertrouwd", password: "fout"))
        _ = Self.afterTLS(&s, auth: "AUTH PLAIN")
        #expect(Self.reply(&s, "535 5.7.8 bad credentials") == .send("QUIT"))
        #expect(Self.reply(&s, "221 bye") == .close(.permanent("authentication failed (535)")))
    }

    @Test("AUTH temporarily unavailable: 454 → retry")
    func authTemporary() {
        var s = SMTPSession(configuration: Self.config(.required, user: "u", password: "p"))
        _ = Self.afterTLS(&s, auth: "AUTH PLAIN")
        #expect(Self.reply(&s, "454 4.7.0 try later") == .send("QUIT"))
        #expect(s.failed("connection closed") == .close(.retry("AUTH refused (454 4.7.0)")))
    }

    @Test("no AUTH without TLS (opportunistic, no STARTTLS offered)")
    func noAuthWithoutTLS() {
        var s = SMTPSession(configuration: Self.config(.opportunistic, user: "u", password: "p"))
        Self.reply(&s, "220 relay")
        #expect(Self.replyLines(&s, ["250-relay", "250 AUTH PLAIN LOGIN"]) == .send("QUIT"))
        #expect(s.failed("x") == .close(.permanent("refusing AUTH without TLS")))
    }

    @Test("no AUTH without TLS to a remote relay even with starttls = off")
    func noAuthRemoteOff() {
        var s = SMTPSession(configuration: Self.config(.off, user: "u", password: "p", loopback: false))
        Self.reply(&s, "220 relay")
        #expect(Self.replyLines(&s, ["250-relay", "250 AUTH PLAIN"]) == .send("QUIT"))
        #expect(s.failed("x") == .close(.permanent("refusing AUTH without TLS")))
    }

    @Test("AUTH in plain text only to a loopback relay with starttls = off")
    func authLoopback() {
        var s = SMTPSession(configuration: Self.config(.off, user: "u", password: "p", loopback: true))
        Self.reply(&s, "220 relay")
        #expect(Self.replyLines(&s, ["250-relay", "250 AUTH PLAIN"]) == .send("AUTH PLAIN AHUAcA=="))
    }

    @Test("a username without a password, or without a mechanism → permanent")
    func authMisconfigured() {
        var s = SMTPSession(configuration: Self.config(.required, user: "u", password: nil))
        #expect(Self.afterTLS(&s, auth: "AUTH PLAIN") == .send("QUIT"))
        #expect(s.failed("x") == .close(.permanent("no password for AUTH")))
        var t = SMTPSession(configuration: Self.config(.required, user: "u", password: "p"))
        #expect(Self.afterTLS(&t, auth: "AUTH CRAM-MD5") == .send("QUIT"))
        #expect(t.failed("x") == .close(.permanent("relay offers no AUTH PLAIN or LOGIN")))
    }

    @Test("greeting 554 → permanent; 421 → retry")
    func greetingRefused() {
        var s = SMTPSession(configuration: Self.config(.off))
        #expect(Self.reply(&s, "554 no service") == .send("QUIT"))
        #expect(Self.reply(&s, "221 bye") == .close(.permanent("greeting refused (554)")))
        var t = SMTPSession(configuration: Self.config(.off))
        #expect(Self.reply(&t, "421 4.3.2 busy") == .send("QUIT"))
        #expect(t.failed("closed") == .close(.retry("greeting refused (421 4.3.2)")))
    }

    /// Up to the given stage of the envelope, plain text.
    static func toEnvelope(_ s: inout SMTPSession) {
        reply(&s, "220 relay")
        _ = replyLines(&s, ehloPlain)
    }

    @Test("5xx on MAIL, RCPT, DATA or after the message → permanent (never retried)", arguments: [0, 1, 2, 3])
    func permanentAtStage(stage: Int) {
        var s = SMTPSession(configuration: Self.config(.off))
        Self.toEnvelope(&s)
        let ok = ["250 ok", "250 ok", "354 go", "250 ok"]
        for i in 0..<stage { Self.reply(&s, ok[i]) }
        #expect(Self.reply(&s, "550 5.1.1 no") == .send("QUIT"))
        let names = ["MAIL FROM", "RCPT TO", "DATA", "message"]
        #expect(Self.reply(&s, "221 bye") == .close(.permanent("\(names[stage]) refused (550 5.1.1)")))
    }

    @Test("4xx on MAIL, RCPT, DATA or after the message → retry", arguments: [0, 1, 2, 3])
    func retryAtStage(stage: Int) {
        var s = SMTPSession(configuration: Self.config(.off))
        Self.toEnvelope(&s)
        let ok = ["250 ok", "250 ok", "354 go", "250 ok"]
        for i in 0..<stage { Self.reply(&s, ok[i]) }
        #expect(Self.reply(&s, "451 4.3.0 later") == .send("QUIT"))
        let names = ["MAIL FROM", "RCPT TO", "DATA", "message"]
        #expect(Self.reply(&s, "221 bye") == .close(.retry("\(names[stage]) refused (451 4.3.0)")))
    }

    @Test("251 to RCPT is accepted")
    func rcpt251() {
        var s = SMTPSession(configuration: Self.config(.off))
        Self.toEnvelope(&s)
        Self.reply(&s, "250 ok")
        #expect(Self.reply(&s, "251 forwarded") == .send("DATA"))
    }

    @Test("an unexpected 2xx/3xx reply → retry")
    func unexpected() {
        var s = SMTPSession(configuration: Self.config(.off))
        Self.toEnvelope(&s)
        #expect(Self.reply(&s, "354 what") == .send("QUIT"))
        #expect(s.failed("closed") == .close(.retry("unexpected reply 354 to MAIL FROM")))
    }

    @Test("timeout, connection loss and malformed replies → retry; after the message was accepted → delivered")
    func connectionEvents() {
        var s = SMTPSession(configuration: Self.config(.off))
        #expect(s.timedOut() == .close(.retry("timeout (greeting)")))
        var t = SMTPSession(configuration: Self.config(.off))
        Self.toEnvelope(&t)
        #expect(t.failed("connection closed") == .close(.retry("connection closed")))
        var u = SMTPSession(configuration: Self.config(.off))
        #expect(u.receiveMalformed() == .close(.retry("malformed reply")))
        var v = SMTPSession(configuration: Self.config(.off))
        Self.toEnvelope(&v)
        for r in ["250 ok", "250 ok", "354 go", "250 queued"] { Self.reply(&v, r) }
        #expect(v.timedOut() == .close(.delivered))
    }

    @Test("a multi-line reply with mixed codes is malformed")
    func mixedCodes() {
        var s = SMTPSession(configuration: Self.config(.off))
        #expect(Self.reply(&s, "220-a", "250 b") == .close(.retry("malformed reply")))
    }

    @Test("dot-stuffing: a leading '.' is doubled, CRLF everywhere, CRLF.CRLF at the end")
    func dotStuffing() {
        let input = Array(".a\r\nb\r\n..c\r\n.\r\nlast".utf8)
        let out = String(decoding: SMTPSession.dataPayload(input), as: UTF8.self)
        #expect(out == "..a\r\nb\r\n...c\r\n..\r\nlast\r\n.\r\n")
        #expect(String(decoding: SMTPSession.dataPayload(Array("x\n".utf8)), as: UTF8.self) == "x\r\n.\r\n")
    }
}
