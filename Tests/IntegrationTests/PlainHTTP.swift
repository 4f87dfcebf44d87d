import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain HTTP/1.1 client on a TCP socket, one request per connection,
/// for testing the help page from outside as any client would — including
/// requests no well-behaved client sends.
enum PlainHTTP {
    struct Response {
        var status: Int
        var head: String
        var body: String

        func header(_ name: String) -> [String] {
            head.split(separator: "\r\n").compactMap { line in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == name.lowercased() else { return nil }
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Sends `bytes` to 127.0.0.1:`port` and reads until the server closes
    /// (or 20 s pass). Sending stops quietly if the server hangs up early,
    /// as it may after an answer such as 413.
    static func exchange(port: Int, _ bytes: [UInt8]) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect: \(errno)") }
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server answered and closed: read what it said
            sent += n
        }
        shutdown(fd, Int32(SHUT_WR))
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(description: "no response head: \(text.prefix(200))") }
        let head = String(text[..<split.lowerBound])
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "bad status line: \(statusLine)") }
        return Response(status: status, head: head, body: String(text[split.upperBound...]))
    }

    static func get(port: Int, _ path: String, cookie: String? = nil) throws -> Response {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let cookie { request += "Cookie: \(cookie)\r\n" }
        return try exchange(port: port, Array((request + "\r\n").utf8))
    }

    static func post(port: Int, _ path: String, body: [UInt8], cookie: String? = nil,
                     type: String = "application/x-www-form-urlencoded") throws -> Response {
        var request = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\n"
        if let cookie { request += "Cookie: \(cookie)\r\n" }
        return try exchange(port: port, Array((request + "\r\n").utf8) + body)
    }
}
