// PupilKeys — the week keys a pupil's `subject` is re-keyed under (issue 13,
// DESIGN §6 P10), and their destruction.
//
// The keys form a one-way chain: the secret of week n+1 is
// HMAC(secret of week n, "next"), and week n's key is HMAC(secret of week
// n, "key"). The store keeps one secret: that of the oldest week whose
// pupils it still holds. Shredding a week moves the secret on, so that
// week's key can no longer be derived by anyone, the store's owner
// included; its pupil rows are condensed to numbers in the same
// transaction. What is left links no two signals and no two weeks to one
// pupil.
import Crypto
import Foundation
import VertrouwdCore

/// A chain secret and the week it belongs to.
public struct PupilChain: Hashable, Sendable {
    /// The `PupilWeek` ordinal whose secret `secret` is.
    public var week: Int64
    public var secret: [UInt8]

    public init(week: Int64, secret: [UInt8]) {
        self.week = week
        self.secret = secret
    }

    /// A fresh chain starting at `week`.
    static func random(week: Int64) -> PupilChain {
        var generator = SystemRandomNumberGenerator()
        return PupilChain(week: week, secret: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The chain moved on to `ordinal` (no change when it is there or
    /// beyond): the secrets of the weeks before it are gone.
    public func advanced(to ordinal: Int64) -> PupilChain {
        var chain = self
        while chain.week < ordinal {
            chain.secret = Self.mac(chain.secret, "vertrouwd pupil chain next")
            chain.week += 1
        }
        return chain
    }

    /// Week `ordinal`'s key, or nil when its secret is gone (a week before
    /// the chain's).
    func key(for ordinal: Int64) -> SymmetricKey? {
        guard ordinal >= week else { return nil }
        return SymmetricKey(data: Self.mac(advanced(to: ordinal).secret, "vertrouwd pupil week key"))
    }

    static func mac(_ key: [UInt8], _ label: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(label.utf8), using: SymmetricKey(data: key)))
    }
}

/// Pupil ids of one batch: week keys worked out once per week, the id of a
/// source's signals without a subject once per source and week, and the
/// id of a subject once per subject and week.
///
/// Why the last: a pupil's signals repeat (a school's week has thousands
/// of signals from hundreds of pupils), and an id costs a keyed hash (two
/// SHA-256 blocks and more) where a lookup costs a hash of the subject's
/// bytes (`make bench`, measurement 8). The ids are the same either way.
/// (A `Numbering`, not a Dictionary: no SipHash seeded per lookup.)
struct PupilKeyring {
    let chain: PupilChain
    private var keys: [Int64: HMAC<SHA256>?] = [:]
    private var anonymous: [AnonymousKey: PupilID?] = [:]
    /// Subjects seen in this batch, numbered; by number, the id.
    private var known = Numbering<SubjectKey>(capacity: 1 << 12)
    private var knownIDs: [PupilID?] = []

    private struct AnonymousKey: Hashable {
        var week: Int64
        var source: Int32
    }

    /// A bound on the memo's size (a batch of all-new subjects).
    static let subjectsRemembered = 1 << 16

    /// A subject's bytes (at most 64) held inline, and its week: no
    /// String is made per signal to look a subject up.
    private struct SubjectKey: NumberingKey {
        var week: Int64
        var count: Int
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var numberingHash: UInt64

        init(week: Int64, subject: UnsafeRawBufferPointer) {
            precondition(subject.count <= Signal.subjectLength.upperBound, "a subject has at most 64 bytes")
            self.week = week
            count = subject.count
            numberingHash = ByteHash.hash(subject) ^ UInt64(bitPattern: week)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: subject) }
        }

        static func == (a: Self, b: Self) -> Bool {
            guard a.numberingHash == b.numberingHash, a.week == b.week, a.count == b.count else { return false }
            return withUnsafeBytes(of: a.words) { x in withUnsafeBytes(of: b.words) { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
        }
    }

    init(chain: PupilChain) {
        self.chain = chain
    }

    /// The pupil a signal counts as in week `ordinal`: its subject under
    /// the week's key, or one id for every signal of its source without
    /// one. Nil when the week's key is destroyed (a signal later than
    /// max_age allows): the signal then adds no pupil, so counts stay a
    /// lower bound.
    ///
    /// The signal is given as its subject's bytes, its source's bytes and
    /// the source's number in the batch (any number that is the same for
    /// the same source).
    mutating func pupil(subject: UnsafeRawBufferPointer?, source: UnsafeRawBufferPointer, sourceNumber: Int32,
                        week ordinal: Int64) -> PupilID? {
        if let subject {
            let key = SubjectKey(week: ordinal, subject: subject)
            if known.count < Self.subjectsRemembered {
                let (number, isNew) = known.number(key)
                if isNew { knownIDs.append(id(week: ordinal, tag: 0x73, subject)) }
                return knownIDs[Int(number)]
            }
            if let number = known.find(key) { return knownIDs[Int(number)] }
            return id(week: ordinal, tag: 0x73, subject)
        }
        let key = AnonymousKey(week: ordinal, source: sourceNumber)
        if let known = anonymous[key] { return known }
        let fresh = id(week: ordinal, tag: 0x61, source)
        anonymous[key] = fresh
        return fresh
    }

    private mutating func id(week ordinal: Int64, tag: UInt8, _ bytes: UnsafeRawBufferPointer) -> PupilID? {
        let template: HMAC<SHA256>?
        if let known = keys[ordinal] {
            template = known
        } else {
            template = chain.key(for: ordinal).map { HMAC<SHA256>(key: $0) }
            keys[ordinal] = template
        }
        guard var hmac = template else { return nil }
        hmac.update(data: [tag, 0])
        hmac.update(data: bytes)
        var id: UInt64 = 0
        for byte in hmac.finalize().prefix(8) { id = id << 8 | UInt64(byte) }
        return id
    }
}
