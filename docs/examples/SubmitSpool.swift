// SubmitSpool.swift — hand one signal to vertrouwd through its spool.
//
//   swift SubmitSpool.swift SPOOL source=webfilter category=sextortion.payment \
//       [site=hoofdgebouw] [cohort=klas-4] [channel=instagram] [severity=high] [count=3] [id=...]
//
// (or compile it once: swiftc -o submit-spool SubmitSpool.swift)
//
// Writes the signal ("v":1, a fresh random id unless id= is given, "ts" =
// now) to SPOOL/tmp/ with O_EXCL, mode 0640, fsyncs it, renames it into
// SPOOL/new/ and fsyncs new/: the daemon never sees a half-written file, and
// the signal is durable when the program says so. Exit status 0 on success.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("SubmitSpool: \(text)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    fail("usage: SubmitSpool SPOOL source=NAME category=NAME [site=|cohort=|channel=|severity=|count=|id=]...")
}
let spool = arguments[1]

/// Letters only: unique, and never a run of digits that the PII gate could
/// read as a BSN or a phone number.
func randomLetters(_ n: Int) -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    return String((0..<n).map { _ in letters.randomElement()! })
}

// Vocabulary values and ids only ever hold these characters; refusing
// anything else also means no JSON escaping is needed.
let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-")
var id = "swift-" + randomLetters(24)
var fields: [String] = []
for argument in arguments.dropFirst(2) {
    let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(allowed.contains) else { fail("expected FIELD=VALUE: \(argument)") }
    let (key, value) = (parts[0], parts[1])
    switch key {
    case "id": id = value
    case "count":
        guard let n = Int(value) else { fail("count must be a number") }
        fields.append("\"count\":\(n)")
    case "source", "category", "site", "cohort", "channel", "severity": fields.append("\"\(key)\":\"\(value)\"")
    default: fail("unknown field \(key)")
    }
}
let formatter = ISO8601DateFormatter()
formatter.formatOptions = [.withInternetDateTime]          // 2026-11-29T09:15:00Z
let line = "{\"v\":1,\"id\":\"\(id)\",\"ts\":\"\(formatter.string(from: Date()))\"" +
    fields.map { "," + $0 }.joined() + "}\n"

// A maildir-style unique name: time, pid, random, host; the same in tmp/ and new/.
let host = ProcessInfo.processInfo.hostName.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
let name = "\(Int(Date().timeIntervalSince1970)).\(getpid()).\(randomLetters(12)).\(String(host))"
let tmp = spool + "/tmp/" + name
let target = spool + "/new/" + name

let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640)
guard fd >= 0 else { fail("cannot create \(tmp): \(String(cString: strerror(errno)))") }
fchmod(fd, 0o640)                                           // whatever the umask
let bytes = Array(line.utf8)
var written = 0
while written < bytes.count {
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
    if n < 0 && errno == EINTR { continue }
    guard n > 0 else { unlink(tmp); fail("cannot write \(tmp): \(String(cString: strerror(errno)))") }
    written += n
}
guard fsync(fd) == 0 else { unlink(tmp); fail("cannot fsync \(tmp): \(String(cString: strerror(errno)))") }
close(fd)
guard rename(tmp, target) == 0 else { unlink(tmp); fail("cannot rename into \(spool)/new: \(String(cString: strerror(errno)))") }
let dir = open(spool + "/new", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
if dir >= 0 { fsync(dir); close(dir) }                      // the rename itself is durable
print("submitted \(name)")
