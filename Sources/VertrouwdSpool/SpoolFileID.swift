// SpoolFileID — the keyed ids that name spool files in logs, errors and
// quarantine records, and the keyed hashes of rejected lines.
//
// Security stance: an unkeyed hash of a file's content (or of its name)
// can be matched by anyone who can guess the content: a one-signal file
// has a small vocabulary × time space, so a SHA-256 id in a log line would
// say which signal was sent when (issue 13, finding 10). Every id is
// therefore HMAC-SHA-256 under a per-install secret (`SpoolIDKey`), never
// a plain hash. Nothing here logs.

import Crypto
import VertrouwdCore

/// The per-install secret behind every spool id, and the ids it makes.
///
/// Ids are stable for one install (the key lives in the spool, see
/// `SpoolDirectory.idKey()`), so log lines and quarantine records about the
/// same file can be correlated; two installs give unrelated ids for the same
/// content, and without the key no id can be tested against a guess. Each
/// kind of id has its own domain-separation label, so a content id can
/// never equal a name id or a line hash by construction.
public struct SpoolIDKey: Sendable, Equatable {
    /// The key's length in bytes.
    public static let byteCount = 32

    let bytes: [UInt8]

    /// A key of exactly `byteCount` bytes (tests pass a fixed one).
    public init(bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "a spool id key is 32 bytes")
        self.bytes = bytes
    }

    /// A fresh random key (the system's CSPRNG).
    public static func random() -> SpoolIDKey {
        var generator = SystemRandomNumberGenerator()
        return SpoolIDKey(bytes: (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The id of a file read whole: 12 hex digits of
    /// HMAC(key, "content" ‖ 0 ‖ SHA-256 of the content). The same bytes get
    /// the same id, so quarantining again after a crash rewrites, not adds.
    public func fileID(contentDigest digest: [UInt8]) -> String {
        mac("content", digest, hexDigits: 12)
    }

    /// The id of a file known only by its (producer-chosen) name, or by a
    /// name plus something that keeps repeats apart: 12 hex digits of
    /// HMAC(key, "name" ‖ 0 ‖ name).
    public func fileID(name: String) -> String {
        mac("name", Array(name.utf8), hexDigits: 12)
    }

    /// The same for a name that is not valid UTF-8, from its bytes.
    public func fileID(nameBytes: [UInt8]) -> String {
        mac("name", nameBytes, hexDigits: 12)
    }

    /// The keyed hash of one rejected line (without its line ending), as the
    /// quarantine records it: 16 hex digits of HMAC(key, "line" ‖ 0 ‖ line).
    /// It tells an operator that two rejected lines were the same, and
    /// nothing about what they were.
    public func lineHash(_ line: [UInt8]) -> String {
        mac("line", line, hexDigits: 16)
    }

    /// The keyed hash of a whole rejected file, from the SHA-256 of its
    /// bytes: 16 hex digits of HMAC(key, "file" ‖ 0 ‖ digest).
    public func fileHash(contentDigest digest: [UInt8]) -> String {
        mac("file", digest, hexDigits: 16)
    }

    private func mac(_ label: String, _ message: [UInt8], hexDigits: Int) -> String {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: bytes))
        hmac.update(data: Array(label.utf8) + [0])
        hmac.update(data: message)
        return Hex.digits(Array(hmac.finalize()).prefix(hexDigits / 2))
    }
}
