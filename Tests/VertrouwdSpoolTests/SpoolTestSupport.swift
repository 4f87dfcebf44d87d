import Foundation
import Glibc
@testable import VertrouwdSpool

/// A real spool under /tmp, removed when the body returns.
func withSpool<R>(prepared: Bool = true, _ body: (SpoolDirectory) throws -> R) throws -> R {
    var template = Array("/tmp/vertrouwd-spool-test-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "mkdtemp failed")
    let base = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer { try? FileManager.default.removeItem(atPath: base) }
    let spool = SpoolDirectory(root: base + "/spool")
    if prepared { try spool.prepare() }
    return try body(spool)
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    let ok = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    precondition(ok, "could not write test file")
}

func writeFile(_ path: String, _ text: String) { writeFile(path, Array(text.utf8)) }

func readFile(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return String(decoding: data, as: UTF8.self)
}

func exists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

func fileType(_ path: String) -> mode_t? {
    var st = stat()
    guard lstat(path, &st) == 0 else { return nil }
    return st.st_mode & S_IFMT
}

func mode(_ path: String) -> mode_t {
    var st = stat()
    precondition(lstat(path, &st) == 0)
    return st.st_mode & 0o7777
}

func entries(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

/// Binds a unix socket at `path` and closes the descriptor (the socket
/// file stays).
func makeSocket(_ path: String) -> Bool {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, b) in bytes.enumerated() { raw[i] = b }
    }
    return withUnsafePointer(to: &address) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
        }
    }
}

/// Sets a path's mtime (and atime) without following a symlink.
func setMTime(_ path: String, _ seconds: Int64) {
    var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
    let rc = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    precondition(rc == 0, "utimensat failed")
}

func now() -> Int64 { Int64(time(nil)) }
