import Foundation
import Testing
@testable import VertrouwdDelivery

/// A message with everything that is hard to carry: Dutch non-ASCII text, a
/// line starting with ".", a 200-character line, trailing spaces, "=".
func sampleMessage(id: String = "0123456789abcdef0123456789abcdef") -> OutgoingMessage {
    let long = String(repeating: "abcdefghij", count: 20)
    let text = [
        "Afpersing: betaalverzoek — één leerling?",
        ".Deze regel begint met een punt",
        ".",
        "..twee punten",
        long,
        "Regel met spaties aan het eind   ",
        "From the start of a line",
        "a = b, 100% =?utf-8?Q?x?=\ttab",
        "",
        "Laatste regel zonder nieuwe regel: ë",
    ].joined(separator: "\n")
    let html = "<html><body><p>Afpersing: betaalverzoek — één leerling?</p>\n<p style=\"x\">\(long)\(long)</p>\n.<p>punt</p></body></html>"
    return OutgoingMessage(
        id: id, kind: .alert, subject: "Afpersing: betaalverzoek — één leerling?",
        text: text, html: html,
        json: #"{"type":"alert","version":1,"id":"\#(id)"}"#, created: 1_796_000_000)
}

/// A fresh temporary directory.
func makeTempDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("vertrouwd-delivery-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A close-on-exec channel (a socket pair, created atomically with
/// SOCK_CLOEXEC so a concurrently spawned child cannot inherit it): (read end, write end).
func makePipe() -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    precondition(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
    return (fds[0], fds[1])
}

/// Reads a descriptor to its end and closes it.
func readAll(_ fd: Int32) -> [UInt8] {
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 { out += chunk[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
    }
    close(fd)
    return out
}

/// Runs a program (no shell, posix_spawn) and waits for it.
@discardableResult
func runCommand(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil) throws -> CommandResult {
    let (inRead, inWrite) = makePipe()
    let (outRead, outWrite) = makePipe()
    let (errRead, errWrite) = makePipe()
    let child = try ChildProcess.spawn(executable, arguments, stdin: inRead, stdout: outWrite, stderr: errWrite)
    close(inRead); close(outWrite); close(errWrite)
    // stderr is read on another thread so that neither pipe can fill up.
    let errBox = ErrBox()
    let errThread = Thread { errBox.bytes = readAll(errRead); errBox.done.signal() }
    errThread.start()
    let writer = Thread {
        if let stdin {
            var offset = 0
            stdin.withUnsafeBytes { raw in
                while offset < raw.count {
                    let n = write(inWrite, raw.baseAddress! + offset, raw.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
        close(inWrite)
    }
    writer.start()
    let out = readAll(outRead)
    errBox.done.wait()
    let termination = child.wait()
    let status: Int32
    switch termination {
    case .exited(let code): status = code
    case .signalled(let signal): status = 128 + signal
    }
    return CommandResult(status: status, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: errBox.bytes, as: UTF8.self))
}

final class ErrBox: @unchecked Sendable {
    var bytes: [UInt8] = []
    let done = DispatchSemaphore(value: 0)
}

/// The path of a program on PATH, or nil.
func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

/// Runs scripts/ensure-test-tools once; true when aiosmtpd is available.
let testToolsAvailable: Bool = {
    guard let python = which("python3") else { return false }
    _ = python
    let script = repositoryRoot.appendingPathComponent("scripts/ensure-test-tools").path
    guard let result = try? runCommand("/bin/sh", [script]) else { return false }
    if result.status != 0 {
        print("ensure-test-tools failed; SMTP tests skipped:\n\(result.stderr)")
    }
    return result.status == 0
}()

/// What Python's `email` package (policy=default) makes of a message.
struct ParsedMessage: Decodable {
    var subject: String
    var text: String
    var html: String
    var messageID: String
    var date: String
    var to: String
    var from: String
    var replyTo: String
    /// The From header's display name, decoded.
    var fromName: String
    var autoSubmitted: String
    var maxLine: Int
    var defects: Int
    var contentType: String
}

/// Parses RFC 5322 bytes with `python3 -c` and the `email` module.
func parseWithPython(_ bytes: [UInt8]) throws -> ParsedMessage {
    let script = #"""
    import sys, json, email
    from email import policy
    raw = sys.stdin.buffer.read()
    msg = email.message_from_bytes(raw, policy=policy.default)
    def norm(s): return s.replace("\r\n", "\n")
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    defects = len(msg.defects) + sum(len(p.defects) for p in msg.walk())
    print(json.dumps({
        "subject": str(msg["Subject"]), "text": norm(text.get_content()), "html": norm(html.get_content()),
        "messageID": str(msg["Message-ID"]), "date": str(msg["Date"]), "to": str(msg["To"]),
        "from": str(msg["From"]), "replyTo": str(msg["Reply-To"] or ""),
        "fromName": msg["From"].addresses[0].display_name, "autoSubmitted": str(msg["Auto-Submitted"]),
        "maxLine": max(len(l) for l in raw.split(b"\r\n")), "defects": defects,
        "contentType": msg.get_content_type(),
    }))
    """#
    let result = try runCommand(which("python3") ?? "/usr/bin/python3", ["-c", script], stdin: bytes)
    guard result.status == 0 else {
        throw ParseError(detail: result.stderr)
    }
    return try JSONDecoder().decode(ParsedMessage.self, from: Data(result.stdout.utf8))
}

struct ParseError: Error { var detail: String }
