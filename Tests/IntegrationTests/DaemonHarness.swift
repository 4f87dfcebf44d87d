import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// A vertrouwd daemon in a folder of its own, run as the built binary: the
/// config, the spool, the state database and the daemon's log output.
final class DaemonHarness: @unchecked Sendable {
    let dir: TemporaryDirectory
    let configPath: String
    var process: Process?
    private let logLock = NSLock()
    private var logData = Data()
    private var logHandles: [FileHandle] = []
    /// Pipes whose end of file was read: the daemon (and anything it
    /// started) closed them, so every byte it wrote is in `logData`.
    private var closedPipes = 0

    var root: String { dir.url.path }
    var spool: String { root + "/spool" }
    let statePath: String

    /// - Parameter overrides: lines appended to [spool] and [ingest], e.g.
    ///   `spool: "max_file_bytes = 4096"`.
    init(spool spoolExtra: String = "", stateDirectory: String? = nil, extra: String = "") throws {
        dir = try TemporaryDirectory()
        let stateDir = stateDirectory ?? dir.url.path + "/state"
        statePath = stateDir + "/state.db"
        let text = Self.baseConfig(root: dir.url.path, stateDirectory: stateDir, spool: spoolExtra) + """
            [[source]]
            name = "chatguard"

            [[recipient]]
            name = "vertrouwenspersoon"

            [delivery.email]
            mode = "off"

            [delivery.socket]
            path = "\(dir.url.path)/alerts.sock"

            \(extra)
            """
        configPath = try dir.write("vertrouwd.toml", text).path
    }

    /// The school, spool, state, taxonomy and first source every test
    /// daemon shares; callers append sources, recipients and delivery.
    static func baseConfig(root: String, stateDirectory: String? = nil, spool spoolExtra: String = "") -> String {
        """
        [school]
        name = "Testschool"

        [spool]
        path = "\(root)/spool"
        rescan = "2s"
        \(spoolExtra)

        [state]
        path = "\(stateDirectory ?? root + "/state")/state.db"

        [taxonomy]
        categories = ["grooming", "sextortion.threat", "sextortion.payment", "image.request", "image.shared", "help_seeking", "distress"]
        sites = ["hoofdgebouw", "dependance"]

        [taxonomy.cohorts]
        "klas-1" = "onderbouw"
        "klas-4" = "bovenbouw"

        [taxonomy.channels]
        instagram = "social"
        snapchat = "social"
        discord = "gaming"

        [[source]]
        name = "webfilter"

        """
    }

    // MARK: - The daemon

    /// Starts `vertrouwd run` and waits until it says it is ready.
    func start(timeout: TimeInterval = 20, arguments: [String] = []) throws {
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["run", "--config", configPath] + arguments
        let pipe = Pipe()
        p.standardError = pipe
        p.standardOutput = pipe
        let handle = pipe.fileHandleForReading
        handle.readabilityHandler = { [weak self] h in
            let data = h.availableData
            guard let self else { return }
            self.logLock.lock()
            if data.isEmpty {
                // End of file: stop watching, or the handler fires for ever.
                h.readabilityHandler = nil
                self.closedPipes += 1
            } else {
                self.logData.append(data)
            }
            self.logLock.unlock()
        }
        logHandles.append(handle)
        try p.run()
        process = p
        let readyCount = occurrences(of: "ready: watching the spool")
        try waitUntil("the daemon is ready", timeout: timeout) {
            self.occurrences(of: "ready: watching the spool") > readyCount || !p.isRunning
        }
        if !p.isRunning { throw HarnessError("the daemon exited at start:\n\(log)") }
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let p = process else { return 0 }
        if p.isRunning { kill(p.processIdentifier, SIGTERM) }
        p.waitUntilExit()
        process = nil
        // Every log byte is in once the pipe's end of file was read.
        let started = logHandles.count
        try? waitUntil("the daemon's log is read to its end", timeout: 10) {
            self.logLock.lock()
            defer { self.logLock.unlock() }
            return self.closedPipes >= started
        }
        return p.terminationStatus
    }

    /// SIGKILL: no clean-up of any kind.
    func crash() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    deinit {
        if let p = process, p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        for h in logHandles { h.readabilityHandler = nil }
    }

    /// Everything the daemon wrote so far.
    var log: String {
        logLock.lock()
        defer { logLock.unlock() }
        return String(decoding: logData, as: UTF8.self)
    }

    func occurrences(of text: String) -> Int {
        log.components(separatedBy: text).count - 1
    }

    // MARK: - Passes (CONTRACT.md: "pass done: <name>" at debug level)

    /// How much of the log has arrived: a mark for `waitForPass`.
    var logMark: Int {
        logLock.lock()
        defer { logLock.unlock() }
        return logData.count
    }

    /// Waits until the daemon logged a finished pass (`ingest`,
    /// `evaluation`, `publication`, `delivery`) after `mark`, and after the
    /// last line there containing `marker` when one is given. The log is
    /// read in the order it was written, so that pass came after what the
    /// marker line reports. The daemon must run with `--log-level debug`.
    func waitForPass(_ name: String, since mark: Int, after marker: String? = nil, timeout: TimeInterval = 20) throws {
        let pass = Data("pass done: \(name)".utf8)
        try waitUntil("a \(name) pass\(marker.map { " after \"\($0)\"" } ?? "")", timeout: timeout) {
            self.logLock.lock()
            defer { self.logLock.unlock() }
            var from = self.logData.startIndex + mark
            if let marker {
                guard let last = self.logData.range(of: Data(marker.utf8), options: .backwards, in: from..<self.logData.endIndex)
                else { return false }
                from = last.upperBound
            }
            return self.logData.range(of: pass, in: from..<self.logData.endIndex) != nil
        }
    }

    // MARK: - Producers

    /// Writes a file in tmp/ and renames it into new/, as producers do.
    func drop(_ bytes: [UInt8], name: String = UUID().uuidString) throws {
        let tmp = spool + "/tmp/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, spool + "/new/" + name) == 0 else { throw HarnessError("rename failed: \(errno)") }
    }

    func drop(_ text: String, name: String = UUID().uuidString) throws {
        try drop(Array(text.utf8), name: name)
    }

    /// Creates the spool folders as the daemon would (for dropping files before the first start).
    func prepareSpool() throws {
        for sub in ["tmp", "new", "cur", "quarantine"] {
            try FileManager.default.createDirectory(atPath: spool + "/" + sub, withIntermediateDirectories: true)
        }
    }

    func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? []).sorted()
    }

    /// Waits until new/ and cur/ are empty.
    func waitUntilDrained(timeout: TimeInterval = 30) throws {
        try waitUntil("the spool is drained", timeout: timeout) {
            self.entries("new").isEmpty && self.entries("cur").isEmpty
        }
    }

    // MARK: - The state

    /// `SELECT sum(count) FROM buckets`: the exact number of accepted signals.
    func total() throws -> Int {
        let db = try DatabaseQueue(path: statePath, configuration: readOnly)
        return try db.read { try Int.fetchOne($0, sql: "SELECT coalesce(sum(count), 0) FROM buckets") ?? 0 }
    }

    /// The outbox as (kind, route, json) rows, oldest first.
    func outbox() throws -> [(kind: String, route: String, json: String, state: String, attempts: Int)] {
        let db = try DatabaseQueue(path: statePath, configuration: readOnly)
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, route, json, state, attempts FROM outbox ORDER BY created_at, id, route").map {
                (kind: $0["kind"], route: $0["route"], json: $0["json"], state: $0["state"], attempts: $0["attempts"])
            }
        }
    }

    func health() throws -> [String: Int] {
        let db = try DatabaseQueue(path: statePath, configuration: readOnly)
        return try db.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT reason, sum(count) AS n FROM health GROUP BY reason") {
                result[row["reason"]] = row["n"]
            }
            return result
        }
    }

    private var readOnly: Configuration {
        var c = Configuration()
        c.readonly = true
        return c
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func waitUntil(_ what: String, timeout: TimeInterval, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        Thread.sleep(forTimeInterval: 0.02)
    }
    if try condition() { return }
    throw HarnessError("timed out after \(timeout) s waiting until \(what)")
}

/// Signal lines for tests: valid unless told otherwise, with a fresh id.
enum Lines {
    static func now(offsetSeconds: Int = 0) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        return f.string(from: Date().addingTimeInterval(TimeInterval(offsetSeconds)))
    }

    /// Letters only: a malformed line is scanned raw for PII, and a random
    /// hex id can hold a run of 8 digits, which would (rightly) read as
    /// pii_digits and make the tests flaky.
    static func id() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return "T" + String((0..<20).map { _ in letters[Int.random(in: 0..<26, using: &generator)] })
    }

    /// A valid signal; `fields` are added or replace defaults (raw JSON values).
    /// Each signal comes from a pupil of its own (a `subject` made from
    /// its id) unless `fields` names one or `dropping` drops it: k counts
    /// pupils (issue 13).
    static func signal(_ fields: [(String, String)] = [], id: String = Lines.id(), dropping: Set<String> = []) -> String {
        var pairs: [(String, String)] = [
            ("v", "1"), ("id", "\"\(id)\""), ("ts", "\"\(now(offsetSeconds: -60))\""), ("source", "\"webfilter\""),
            ("category", "\"sextortion.payment\""), ("site", "\"hoofdgebouw\""), ("cohort", "\"klas-4\""), ("channel", "\"instagram\""),
            ("subject", "\"pupil-\(id)\""),
        ]
        for (key, value) in fields {
            if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = value } else { pairs.append((key, value)) }
        }
        pairs.removeAll { dropping.contains($0.0) }
        return "{" + pairs.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
