import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `vertrouwd helppage` as built, beside a running daemon, tested from
/// outside with plain HTTP: a report becomes one counted signal, and bad
/// or abusive requests get their error pages while the server stays up.
extension Integration {
    @Suite struct HelpPageIntegrationTests {
        static let helpPageConfig = """
            [[source]]
            name = "helppage"

            [helppage]
            listen = "127.0.0.1:0"
            contact_name = "mevrouw De Vries"
            requests_per_minute = 60
            """

        @Test func aReportIsCountedAndAbuseIsAnswered() throws {
            let daemon = try DaemonHarness(extra: Self.helpPageConfig)
            try daemon.start()
            defer { daemon.stop() }
            let page = try HelpPageProcess(config: daemon.configPath)
            defer { page.stop() }
            let port = page.port

            // A pupil's report: the page, then the form with its cookie.
            let start = try PlainHTTP.get(port: port, "/")
            #expect(start.status == 200)
            let cookie = try #require(start.header("Set-Cookie").first?.split(separator: ";").first.map(String.init))
            let token = try #require(start.body.range(of: "name=\"token\" value=\"")).upperBound
            let value = start.body[token...].prefix { $0 != "\"" }
            let report = try PlainHTTP.post(port: port, "/report", body: Array("token=\(value)&who=me&what=payment&platform=instagram&year=klas-4".utf8), cookie: cookie)
            #expect(report.status == 200)
            #expect(report.body.contains("Dank je"))
            try waitUntil("the daemon counts the report", timeout: 30) { try daemon.total() == 1 }
            #expect(try Self.counts(daemon) == ["sextortion.payment|klas-4|instagram": 1])

            // A malformed POST, a form without its cookie, a request line
            // that is not HTTP: error pages, nothing counted.
            let malformed = try PlainHTTP.post(port: port, "/report", body: Array("token=%zz&who".utf8), cookie: cookie)
            #expect(malformed.status == 400)
            #expect(!malformed.body.contains("%zz"))
            let forged = try PlainHTTP.post(port: port, "/report", body: Array("token=\(value)&who=me&what=threat".utf8))
            #expect(forged.status == 403)
            let garbage = try? PlainHTTP.exchange(port: port, Array("NOT HTTP AT ALL\r\n\r\n".utf8))
            #expect(garbage.map { $0.status >= 400 } ?? true, "an error or a closed connection")

            // An oversized body, announced and chunked.
            let oversized = try PlainHTTP.post(port: port, "/report", body: [UInt8](repeating: 0x61, count: 100_000), cookie: cookie)
            #expect(oversized.status == 413)
            #expect(!oversized.body.contains("aaaa"))
            let chunk = String(repeating: "b", count: 3_000)
            let chunked = "POST /report HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "bb8\r\n\(chunk)\r\nbb8\r\n\(chunk)\r\n0\r\n\r\n"
            #expect(try PlainHTTP.exchange(port: port, Array(chunked.utf8)).status == 413)

            // 1,000 requests from one client: the limit answers, the server stays.
            var statuses: [Int: Int] = [:]
            let began = Date()
            for _ in 0..<1_000 {
                statuses[try PlainHTTP.get(port: port, "/").status, default: 0] += 1
            }
            let seconds = Int(Date().timeIntervalSince(began)) + 1
            #expect(Set(statuses.keys).isSubset(of: [200, 429]), "\(statuses)")
            #expect(statuses[200, default: 0] <= 60 + seconds, "\(statuses) in \(seconds) s")
            #expect(statuses[429, default: 0] >= 1_000 - 60 - seconds, "\(statuses)")
            let limited = try PlainHTTP.get(port: port, "/")
            #expect(limited.status == 429 || limited.status == 200)
            #expect(limited.body.contains("112"), "the 429 page still says where help is")
            #expect(page.isRunning)

            // Nothing else was counted, and nothing of the requests was logged.
            try daemon.waitUntilDrained()
            #expect(try daemon.total() == 1)
            #expect(page.stop() == 0)
            #expect(!page.log.contains("127.0.0.1:") || page.log.components(separatedBy: "127.0.0.1:").count == 2,
                    "only the start line names an address: \(page.log)")
            #expect(!page.log.contains("vt_form") && !page.log.contains("payment") && !page.log.contains("%zz"))
        }

        @Test func withoutTheSectionItRefusesToStart() throws {
            let daemon = try DaemonHarness()
            let result = try Binary.run(["helppage", "--config", daemon.configPath])
            #expect(result.status == 1)
            #expect(result.stderr.contains("has no [helppage] section"))
        }

        /// The browser test (Tests/browser), when chromium, its driver and
        /// Selenium are installed (scripts/ensure-deps test, ensure-test-tools).
        @Test(.enabled(if: BrowserTest.available))
        func theBrowserTestPasses() throws {
            let daemon = try DaemonHarness(extra: Self.helpPageConfig)
            try daemon.start()
            defer { daemon.stop() }
            let page = try HelpPageProcess(config: daemon.configPath)
            defer { page.stop() }
            let output = ProcessInfo.processInfo.environment["VERTROUWD_SCREENSHOTS"] ?? daemon.root + "/screenshots"
            let result = try BrowserTest.run(url: "http://127.0.0.1:\(page.port)/", state: daemon.statePath, screenshots: output)
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(try daemon.total() == 1, "the one report sent from the browser")
        }

        /// (category|cohort|channel) → count, from the daemon's buckets.
        static func counts(_ daemon: DaemonHarness) throws -> [String: Int] {
            var configuration = Configuration()
            configuration.readonly = true
            let db = try DatabaseQueue(path: daemon.statePath, configuration: configuration)
            return try db.read { db in
                var result: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT category, cohort, channel, sum(count) AS n FROM buckets GROUP BY 1, 2, 3") {
                    let parts: [String?] = [row["category"], row["cohort"], row["channel"]]
                    let key = parts.map { $0 ?? "-" }.joined(separator: "|")
                    result[key] = row["n"]
                }
                return result
            }
        }
    }
}

/// `vertrouwd helppage` running, with its output collected.
final class HelpPageProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var output = Data()
    private(set) var port = 0

    init(config: String, timeout: TimeInterval = 30) throws {
        process.executableURL = Binary.url
        process.arguments = ["helppage", "--config", config]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.output.append(data)
            self.lock.unlock()
        }
        try process.run()
        try waitUntil("the help page listens", timeout: timeout) {
            self.log.contains("listening on http://") || !self.process.isRunning
        }
        guard process.isRunning, let range = log.range(of: "listening on http://127.0.0.1:") else {
            throw HarnessError("the help page did not start:\n\(log)")
        }
        port = Int(log[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    var log: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: output, as: UTF8.self)
    }

    var isRunning: Bool { process.isRunning }

    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }
}

/// Tests/browser/helppage_browser_test.py, run with the python3 on PATH
/// (the one scripts/ensure-test-tools installs Selenium for).
enum BrowserTest {
    static let script = Binary.repositoryRoot.appendingPathComponent("Tests/browser/helppage_browser_test.py").path

    static let available: Bool = {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: "/usr/bin/chromium"),
              fm.isExecutableFile(atPath: "/usr/bin/chromedriver")
        else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import selenium"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    static func run(url: String, state: String, screenshots: String) throws -> Binary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--url", url, "--state", state, "--screenshots", screenshots]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Binary.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}
