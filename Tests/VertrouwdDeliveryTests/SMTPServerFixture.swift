import Foundation
import Testing
@testable import VertrouwdDelivery

/// A test CA and a server certificate for 127.0.0.1 and localhost, made with
/// the openssl CLI; plus an unrelated CA for the "wrong CA" case.
struct TestPKI {
    let caFile: String
    let wrongCAFile: String
    let certFile: String
    let keyFile: String

    init(in dir: URL) throws {
        let openssl = try #require(which("openssl"), "the openssl CLI is needed to make test certificates")
        let p = dir.path
        let ext = "\(p)/server.ext"
        try """
        subjectAltName = IP:127.0.0.1, DNS:localhost
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature, keyEncipherment
        extendedKeyUsage = serverAuth
        """.write(toFile: ext, atomically: true, encoding: .utf8)
        func ca(_ name: String) throws {
            let r = try runCommand(openssl, [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(p)/\(name).key", "-out", "\(p)/\(name).pem", "-days", "2",
                "-subj", "/CN=vertrouwd test \(name)",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
            try #require(r.status == 0, "openssl req: \(r.stderr)")
        }
        try ca("ca")
        try ca("wrongca")
        var r = try runCommand(openssl, [
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(p)/server.key", "-out", "\(p)/server.csr", "-subj", "/CN=localhost",
        ])
        try #require(r.status == 0, "openssl req: \(r.stderr)")
        r = try runCommand(openssl, [
            "x509", "-req", "-in", "\(p)/server.csr", "-CA", "\(p)/ca.pem", "-CAkey", "\(p)/ca.key",
            "-CAcreateserial", "-out", "\(p)/server.pem", "-days", "2", "-extfile", ext,
        ])
        try #require(r.status == 0, "openssl x509: \(r.stderr)")
        caFile = "\(p)/ca.pem"
        wrongCAFile = "\(p)/wrongca.pem"
        certFile = "\(p)/server.pem"
        keyFile = "\(p)/server.key"
    }
}

/// Tests/VertrouwdDeliveryTests/Servers/smtp_server.py, running on a free
/// loopback port until `stop()`.
final class SMTPServerProcess {
    let dir: URL
    let port: Int
    private let child: ChildProcess
    private var stopped = false

    init(dir: URL, options: [String]) throws {
        self.dir = dir
        let script = testsDirectory.appendingPathComponent("Servers/smtp_server.py").path
        let log = dir.appendingPathComponent("server.log")
        let logFD = open(log.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(logFD) }
        let child = try ChildProcess.spawn(try #require(which("python3")), [script, "--dir", dir.path] + options,
                                           stderr: logFD)
        self.child = child
        // Wait (generously) for the server to write its port once it listens.
        let portFile = dir.appendingPathComponent("port")
        var port: Int?
        for _ in 0..<600 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let p = Int(text) {
                port = p
                break
            }
            if child.poll() != nil { stopped = true; break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let port else {
            kill(child.pid, SIGTERM)
            _ = child.wait()
            let log = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw ServerStartError(log: log)
        }
        self.port = port
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(child.pid, SIGTERM)
        _ = child.wait()
    }

    /// Messages received, as bytes, in order.
    func messages() throws -> [[UInt8]] {
        let folder = dir.appendingPathComponent("messages")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.filter { $0.hasSuffix(".eml") }
            .sorted { Int($0.dropLast(4))! < Int($1.dropLast(4))! }
            .map { Array(try Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    /// Envelope events ("MAIL", "RCPT", "DATA", "AUTH …", "DELIVERED tls=…").
    func events() -> [String] {
        let text = (try? String(contentsOf: dir.appendingPathComponent("events.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    deinit { stop() }
}

struct ServerStartError: Error, CustomStringConvertible {
    var log: String
    var description: String { "smtp_server.py did not start:\n\(log)" }
}
