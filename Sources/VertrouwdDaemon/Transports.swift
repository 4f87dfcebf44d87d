// Transports — builds the delivery routes the config names.
//
// Security stance: the SMTP password is read from password_file (mode
// checked by the config loader) at start and kept in memory only.
import Foundation
import NIOCore
import NIOPosix
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDelivery
import VertrouwdStore

public enum Transports {
    /// The transports per route; a route the config leaves out is absent.
    /// Throws when the password file cannot be read.
    public static func make(for configuration: Configuration, fileSystem: any ConfigFileSystem,
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws -> [OutboxEntry.Route: any Transport] {
        var transports: [OutboxEntry.Route: any Transport] = [:]
        let email = configuration.delivery.email
        switch email.mode {
        case .smtp:
            var password: String?
            if let file = email.passwordFile {
                let bytes = try fileSystem.contents(of: file)
                password = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
            }
            transports[.email] = SMTPTransport(settings: email, password: password, heloName: heloName(), group: group)
        case .sendmail:
            transports[.email] = SendmailTransport(settings: email, messageIDDomain: domain(of: email.from))
        case .off:
            break
        }
        if let path = configuration.delivery.socketPath {
            transports[.socket] = SocketTransport(path: path, group: group)
        }
        return transports
    }

    /// The host name for EHLO.
    static func heloName() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let name = String(cString: host)
        return name.isEmpty ? "localhost" : name
    }

    static func domain(of address: String) -> String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}
