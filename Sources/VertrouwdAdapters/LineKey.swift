@preconcurrency import Crypto
import Foundation
import VertrouwdCore

/// The adapter's secret key (32 random bytes, kept in its state file) and
/// the two keyed hashes made with it.
public struct LineKey: Sendable {
    nonisolated(unsafe) let key: SymmetricKey

    public init(bytes: [UInt8]) {
        precondition(bytes.count >= 16, "a line key needs at least 16 bytes")
        key = SymmetricKey(data: bytes)
    }

    /// A new random key's bytes.
    public static func randomBytes() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// The signal id of a log line: HMAC-SHA256 of the line's bytes, 32 hex
    /// characters. The same line read twice (after a restart, a rotation
    /// or a copytruncate) gets the same id, which the daemon de-duplicates;
    /// without the key, the id says nothing about the line.
    public func signalID(of line: ArraySlice<UInt8>) -> String {
        let mac = line.withUnsafeBytes { HMAC<SHA256>.authenticationCode(for: $0, using: key) }
        return Self.hex(Array(mac).prefix(16))
    }

    /// A pseudonym of a client address for one week: HMAC-SHA256 under a
    /// key derived for that week (`week` is the `PupilWeek` ordinal of the
    /// line's local time), so the same device is one subject all week —
    /// the longest window a rule counts in — and an unlinkable one the
    /// next. It counts devices, not pupils (docs/adapters.md). 32
    /// characters a–p (the MAC's nibbles as letters): a `subject` with no
    /// digit, so no run of it can read as a phone number or IBAN to the
    /// PII gate.
    public func weeklySubject(of address: IPAddress, week: Int64) -> String {
        let weekKey = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("subject week \(week)".utf8), using: key))
        let mac = HMAC<SHA256>.authenticationCode(for: address.bytes, using: weekKey)
        var out = [UInt8]()
        for b in Array(mac).prefix(16) {
            out.append(UInt8(ascii: "a") + (b >> 4))
            out.append(UInt8(ascii: "a") + (b & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
