import Logging
import VertrouwdCore

/// The help page's request handling: routes, rate limits, the form's
/// token check, the report's signal and the page to answer with. The
/// HTTP server (`HelpPageServer`) only translates to and from it.
///
/// Privacy stance: the peer address becomes a salted 8-byte key for the
/// limiter and is dropped; nothing about a request is logged; no page
/// ever shows what a request sent. The only thing that leaves is the
/// signal, through `sink`.
public struct HelpPage: Sendable {
    /// The largest request body read; a report is well under 1 KiB.
    public static let maxBodyBytes = 4_096

    public let model: HelpPageModel
    let renderer: PageRenderer
    let validator: SignalValidator
    let sink: any SignalSink
    let random: any RandomBytes
    let now: @Sendable () -> Double
    let tokens: FormTokens
    let clients: ClientKeys
    let state: HelpPageState
    let logger: Logger

    /// - Parameters:
    ///   - configuration: must have a `helpPage`.
    ///   - now: the clock, epoch seconds.
    public init(configuration: Configuration, sink: any SignalSink, random: any RandomBytes = SystemRandomBytes(),
                now: @escaping @Sendable () -> Double, logger: Logger = Logger(label: "vertrouwd.helppage")) {
        let settings = configuration.helpPage ?? HelpPageSettings()
        model = HelpPageModel(settings: settings, taxonomy: configuration.taxonomy)
        renderer = PageRenderer(model: model)
        validator = SignalValidator(taxonomy: configuration.taxonomy, sources: configuration.sources, ingest: configuration.ingest)
        self.sink = sink
        self.random = random
        self.now = now
        tokens = FormTokens(random: random)
        clients = ClientKeys(random: random)
        state = HelpPageState(settings: .init(requestsPerMinute: settings.requestsPerMinute, reportsPerHour: settings.reportsPerHour))
        self.logger = logger
    }

    public func respond(_ request: HelpRequest) async -> HelpResponse {
        let clock = now()
        let client = clients.key(for: clientAddress(request))
        let language = model.settings.language
        guard await state.allowRequest(client, now: clock) else {
            return error(429, language, extra: [("Retry-After", "60")])
        }
        switch request.path {
        case "/", "/nl", "/en":
            let pageLanguage: Language = request.path == "/" ? language : (request.path == "/en" ? .en : .nl)
            guard request.method == "GET" || request.method == "HEAD" else {
                return error(405, pageLanguage, extra: [("Allow", "GET, HEAD")])
            }
            var response = startPage(request, language: pageLanguage, now: Int64(clock))
            if request.method == "HEAD" { response.body = "" }
            return response
        case "/report":
            guard request.method == "POST" else { return error(405, language, extra: [("Allow", "POST")]) }
            return await report(request, client: client, now: clock)
        default:
            return error(404, language)
        }
    }

    /// The key the limiter counts under: the peer, or the nearest proxy's
    /// view of the client when `trust_forwarded_for` is set.
    func clientAddress(_ request: HelpRequest) -> String {
        if model.settings.trustForwardedFor, let forwarded = request.forwardedFor,
           let last = forwarded.split(separator: ",").last?.trimmingSpaces, !last.isEmpty {
            return String(last)
        }
        return request.peer ?? "unknown"
    }

    func isSecure(_ request: HelpRequest) -> Bool {
        request.forwardedProto?.lowercased() == "https"
    }

    func startPage(_ request: HelpRequest, language: Language, now: Int64, status: Int = 200, missingChoice: Bool = false) -> HelpResponse {
        var headers: [(String, String)] = []
        var nonce = Cookies.value(Cookies.form, in: request.cookie) ?? ""
        if !FormTokens.isNonce(nonce) {
            nonce = tokens.nonce(random: random)
            headers.append(("Set-Cookie", Cookies.setCookie(Cookies.form, nonce, secure: isSecure(request))))
        }
        let token = tokens.token(nonce: nonce, now: now)
        return page(status, renderer.render(.start(formToken: token, missingChoice: missingChoice), language: language), headers)
    }

    func report(_ request: HelpRequest, client: UInt64, now clock: Double) async -> HelpResponse {
        let now = Int64(clock)
        let bytes: [UInt8]
        switch request.body {
        case .tooLarge: return error(413, model.settings.language, close: true)
        case .none: bytes = []
        case .bytes(let b): bytes = b
        }
        guard let type = request.contentType?.lowercased(),
              type == "application/x-www-form-urlencoded" || type.hasPrefix("application/x-www-form-urlencoded;")
        else { return error(400, model.settings.language, close: true) }
        let form: ReportForm
        switch ReportForm.parse(bytes, model: model) {
        case .success(let f): form = f
        case .failure(let rejection):
            let language = rejection.language ?? model.settings.language
            if rejection.reason == .missingChoice {
                return startPage(request, language: language, now: now, status: 400, missingChoice: true)
            }
            return error(400, language, close: true)
        }
        let nonce = Cookies.value(Cookies.form, in: request.cookie) ?? ""
        guard tokens.verify(token: form.token, nonce: nonce, now: now) else { return error(403, form.language) }
        let expiry = Int64(form.token.split(separator: ".").first ?? "") ?? now
        guard await state.firstAnswer(form.token, expiry: expiry, now: now) else {
            return thanks(form, request: request, repeated: true, headers: [])
        }
        guard await state.allowReport(client, now: clock) else {
            await state.forget(form.token)
            return error(429, form.language, extra: [("Retry-After", "3600")])
        }
        var headers: [(String, String)] = []
        var subject = Cookies.value(SubjectToken.cookie, in: request.cookie) ?? ""
        if !SubjectToken.isValid(subject) {
            subject = SubjectToken.make(random: random)
            headers.append(("Set-Cookie", Cookies.setCookie(SubjectToken.cookie, subject, maxAge: SubjectToken.maxAge, secure: isSecure(request))))
        }
        let line = ReportSignal.line(for: form, model: model, id: ReportSignal.makeID(random: random), now: now, subject: subject)
        if case .failure(let rejection) = validator.validate(line: line, now: now) {
            // A configuration the daemon would not accept (checked at start,
            // so this is a bug): the reason code only, never the line.
            logger.error("help page report not accepted by the validator", metadata: ["reason": "\(rejection.reason)", "field": "\(rejection.field ?? "-")"])
            await state.forget(form.token)
            return error(500, form.language)
        }
        do {
            try sink.drop(Array(line.utf8))
        } catch {
            logger.error("help page cannot write to the spool: \(error)")
            await state.forget(form.token)
            return self.error(503, form.language, extra: [("Retry-After", "60")])
        }
        return thanks(form, request: request, repeated: false, headers: headers)
    }

    func thanks(_ form: ReportForm, request: HelpRequest, repeated: Bool, headers: [(String, String)]) -> HelpResponse {
        let html = renderer.render(.thanks(aboutFriend: form.aboutFriend, distress: form.situation == .distress, repeated: repeated),
                                   language: form.language)
        return page(200, html, headers)
    }

    func error(_ status: Int, _ language: Language, extra: [(String, String)] = [], close: Bool = false) -> HelpResponse {
        var headers = extra
        if close { headers.append(("Connection", "close")) }
        return page(status, renderer.render(.error(status: status), language: language), headers)
    }

    func page(_ status: Int, _ html: String, _ headers: [(String, String)]) -> HelpResponse {
        HelpResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + PageStyle.securityHeaders + headers, body: html)
    }
}
