import Crypto
import Foundation

/// CSRF protection without server-side sessions or IPs: a random nonce in
/// a SameSite=Strict cookie, and in the form a MAC over that nonce and an
/// expiry, keyed by a secret that lives only in this process's memory. A
/// form posted from another site lacks the cookie; a forged field lacks
/// the key. A restart invalidates open forms (the pupil sees "expired").
public struct FormTokens: Sendable {
    /// How long a form stays valid after it was served.
    public static let lifetime: Int64 = 2 * 3_600
    /// The nonce's length in base64url characters (16 random bytes).
    public static let nonceLength = 22

    /// The key's bytes (SymmetricKey is not Sendable); never leaves memory.
    let keyBytes: [UInt8]

    public init(random: some RandomBytes) {
        keyBytes = random.bytes(32)
    }

    /// A fresh nonce for the `vt_form` cookie.
    public func nonce(random: some RandomBytes) -> String {
        Base64URL.encode(random.bytes(16))
    }

    public static func isNonce(_ text: String) -> Bool {
        Base64URL.isEncoded(text, length: nonceLength)
    }

    /// The hidden field for a form served at `now` to the holder of `nonce`.
    public func token(nonce: String, now: Int64) -> String {
        let expiry = now + Self.lifetime
        return "\(expiry).\(mac(nonce: nonce, expiry: expiry))"
    }

    /// Whether `token` was made by this process for `nonce` and has not
    /// expired. Constant-time in the MAC.
    public func verify(token: String, nonce: String, now: Int64) -> Bool {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, parts[0].utf8.count <= 12, let expiry = Int64(parts[0]),
              expiry >= now, expiry <= now + Self.lifetime, Self.isNonce(nonce)
        else { return false }
        let expected = Array(mac(nonce: nonce, expiry: expiry).utf8)
        let given = Array(parts[1].utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<expected.count { difference |= expected[i] ^ given[i] }
        return difference == 0
    }

    func mac(nonce: String, expiry: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("form|\(nonce)|\(expiry)".utf8), using: SymmetricKey(data: keyBytes))
        return Base64URL.encode(Array(code))
    }
}

/// Forms already answered, until they expire, so that a reload of the
/// thank-you page (the browser re-posts) counts once. Memory only, bounded.
public struct AnsweredForms: Sendable {
    private var expiries: [String: Int64] = [:]
    public let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Records `token`; false when it was recorded before (a repeat).
    /// When full, expired entries go first; if none have, the form is
    /// refused as a repeat rather than letting memory grow.
    public mutating func firstAnswer(_ token: String, expiry: Int64, now: Int64) -> Bool {
        if expiries[token] != nil { return false }
        if expiries.count >= capacity {
            expiries = expiries.filter { $0.value >= now }
            if expiries.count >= capacity { return false }
        }
        expiries[token] = expiry
        return true
    }

    /// Undoes `firstAnswer` when the signal could not be dropped, so the
    /// pupil can send the same form again.
    public mutating func forget(_ token: String) {
        expiries[token] = nil
    }

    public var count: Int { expiries.count }
}
