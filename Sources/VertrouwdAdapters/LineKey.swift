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

    /// A pseudonym of a client address for one day: HMAC-SHA256 under a
    /// key derived for that day (`day` is the local date, "2026-11-29"), so
    /// the same device has the same subject all day and an unlinkable one
    /// the next. It counts devices, not pupils. 32 hex characters, the
    /// format of a signal's `subject`. Ready for the privacy issue's
    /// `subject` field; the adapter does not emit it yet.
    public func dailySubject(of address: IPAddress, day: String) -> String {
        let dayKey = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("subject \(day)".utf8), using: key))
        let mac = HMAC<SHA256>.authenticationCode(for: address.bytes, using: dayKey)
        return Self.hex(Array(mac).prefix(16))
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
