/// An IPv4 or IPv6 address as its bytes (4 or 16), parsed without the
/// network stack: `10.1.40.23`, `2001:db8::1`, `::ffff:10.1.2.3`.
///
/// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is read as the IPv4
/// address, so one `10.1.0.0/16` entry covers both spellings.
public struct IPAddress: Hashable, Sendable {
    public var bytes: [UInt8]

    public init?(_ text: Substring) {
        if let v4 = Self.parseIPv4(text) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(text) {
            let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
            bytes = Array(v6.prefix(12)) == mapped ? Array(v6.suffix(4)) : v6
        } else {
            return nil
        }
    }

    public init?(_ text: String) { self.init(Substring(text)) }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var value = 0, digits = 0
        for b in text.utf8 {
            if b >= 0x30 && b <= 0x39 {
                value = value * 10 + Int(b - 0x30)
                digits += 1
                guard digits <= 3, value <= 255 else { return nil }
            } else if b == 0x2E {
                guard digits > 0, out.count < 3 else { return nil }
                out.append(UInt8(value))
                value = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0, out.count == 3 else { return nil }
        out.append(UInt8(value))
        return out
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count >= 2, text.utf8.count <= 45 else { return nil }
        // Split at "::" once; each side is groups of up to four hex digits,
        // the right side may end in a dotted IPv4 address.
        let bytes = Array(text.utf8)
        var parts: [Substring] = []
        var start = 0, i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x3A && bytes[i + 1] == 0x3A {
                parts.append(Substring(decoding: bytes[start..<i], as: UTF8.self))
                start = i + 2
                i += 2
            } else {
                i += 1
            }
        }
        parts.append(Substring(decoding: bytes[start...], as: UTF8.self))
        guard parts.count <= 2 else { return nil }
        func groups(_ s: Substring, allowV4: Bool) -> [UInt8]? {
            if s.isEmpty { return [] }
            var out: [UInt8] = []
            let items = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, item) in items.enumerated() {
                if allowV4, i == items.count - 1, item.contains(".") {
                    guard let v4 = parseIPv4(item) else { return nil }
                    out += v4
                    continue
                }
                guard (1...4).contains(item.utf8.count), let n = UInt16(item, radix: 16) else { return nil }
                out += [UInt8(n >> 8), UInt8(n & 0xFF)]
            }
            return out
        }
        if parts.count == 1 {
            guard let all = groups(parts[0], allowV4: true), all.count == 16 else { return nil }
            return all
        }
        guard let left = groups(parts[0], allowV4: false), let right = groups(parts[1], allowV4: true),
              left.count + right.count <= 14 else { return nil }
        return left + [UInt8](repeating: 0, count: 16 - left.count - right.count) + right
    }
}

/// A CIDR network: `10.1.0.0/16`, `2001:db8:40::/48`. A bare address is a
/// network of one (/32 or /128).
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The network's bytes with the host bits cleared.
    public private(set) var bytes: [UInt8]
    public private(set) var prefixLength: Int
    /// As the config wrote it, for messages and summaries.
    public let text: String

    public init?(cidr text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(parts[0]) else { return nil }
        let maxLength = address.bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].utf8.count <= 3, let n = Int(parts[1]), (0...maxLength).contains(n) else { return nil }
            length = n
        }
        self.text = text
        self.prefixLength = length
        self.bytes = Self.masked(address.bytes, length)
        // "10.1.2.3/16" has host bits set: almost certainly a typo.
        guard bytes == address.bytes else { return nil }
    }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { i, b in
            let bits = max(0, min(8, length - i * 8))
            return bits == 8 ? b : b & ~(UInt8(0xFF) >> bits)
        }
    }

    /// Whether the address lies in this network (IPv4 in IPv4 networks,
    /// IPv6 in IPv6 networks).
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == bytes.count && Self.masked(address.bytes, prefixLength) == bytes
    }

    public var description: String { text }
}
