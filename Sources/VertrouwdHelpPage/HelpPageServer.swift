import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import VertrouwdCore

/// The request context: Hummingbird's core storage and the peer's IP
/// address, which `HelpPage` turns into a limiter key and drops.
public struct HelpPageRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peer: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}

/// The thin HTTP layer: reads at most `HelpPage.maxBodyBytes` of a body,
/// hands the request to `HelpPage`, writes its answer. It never throws,
/// so Hummingbird's own error responses never show.
public struct HelpPageResponder: HTTPResponder {
    public typealias Context = HelpPageRequestContext
    public let page: HelpPage

    public init(page: HelpPage) {
        self.page = page
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        var body = HelpRequest.Body.none
        if request.method == .post || request.headers[.contentLength] != nil || request.headers[.transferEncoding] != nil {
            body = await Self.readBody(request)
        }
        let help = HelpRequest(
            method: request.method.rawValue, path: request.uri.path,
            cookie: request.headers[values: .cookie].joined(separator: "; ").nilIfEmpty,
            contentType: request.headers[.contentType],
            forwardedFor: request.headers[values: HTTPField.Name("X-Forwarded-For")!].joined(separator: ",").nilIfEmpty,
            forwardedProto: request.headers[HTTPField.Name("X-Forwarded-Proto")!],
            peer: context.peer, body: body)
        let answer = await page.respond(help)
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        return Response(status: Self.status(answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }

    /// The statuses the page answers with, with their reason phrases.
    static func status(_ code: Int) -> HTTPResponse.Status {
        switch code {
        case 200: .ok
        case 400: .badRequest
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 413: .contentTooLarge
        case 429: .tooManyRequests
        case 503: .serviceUnavailable
        default: .internalServerError
        }
    }

    /// The body, or `.tooLarge` as soon as it (or its announced length)
    /// passes the cap; a broken body counts as too large too.
    static func readBody(_ request: Request) async -> HelpRequest.Body {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > HelpPage.maxBodyBytes {
            return .tooLarge
        }
        var bytes: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard bytes.count + chunk.readableBytes <= HelpPage.maxBodyBytes else { return .tooLarge }
                bytes += chunk.readableBytesView
            }
        } catch {
            return .tooLarge
        }
        return .bytes(bytes)
    }
}

/// Builds the Hummingbird application for `[helppage]`: HTTP/1.1 on the
/// configured address, a cap on concurrent connections, an idle timeout
/// against slow clients, and no Server header.
public enum HelpPageServer {
    public static func application(
        page: HelpPage, settings: HelpPageSettings, logger: Logger,
        onRunning: @escaping @Sendable (_ host: String, _ port: Int) async -> Void
    ) -> some ApplicationProtocol {
        var hbLogger = logger
        // Hummingbird logs requests at debug and trace only; keep it quiet
        // so nothing about a request reaches the journal.
        hbLogger.logLevel = .notice
        return Application(
            responder: HelpPageResponder(page: page),
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: ApplicationConfiguration(
                address: .hostname(settings.listen.host, port: settings.listen.port),
                serverName: nil,
                backlog: 256,
                reuseAddress: true,
                availableConnectionsDelegate: MaximumAvailableConnections(settings.maxConnections)),
            onServerRunning: { channel in
                let address = channel.localAddress
                await onRunning(address?.ipAddress ?? settings.listen.host, address?.port ?? settings.listen.port)
            },
            logger: hbLogger)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
