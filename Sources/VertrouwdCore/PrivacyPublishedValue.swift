/// One value of a published table (DESIGN §6 P4–P6, §7).
///
/// The three states are distinguishable on purpose. A cell hidden only to
/// protect another cell (secondary suppression) holds a count ≥ k; showing
/// it as "<k" would tell the trust contact something false — "fewer than 5
/// payment demands" when there were 12 — so it gets its own mark.
public enum PublishedValue: Hashable, Sendable {
    /// The true count is below k, zero included (primary suppression): "<k".
    case suppressed
    /// The true count is ≥ k; the value is its rounding (P5, see
    /// `PrivacyPolicy.rounded(_:)`): itself ≥ k and a multiple of roundTo.
    case count(Int)
    /// The true count is ≥ k but is hidden to protect a small cell
    /// (secondary suppression, P6): "x", the CBS mark for "geheim".
    case withheld
    /// Nothing of the value is revealed: the reader knows the cell exists
    /// (its row is in the config) but not even whether it is below k.
    /// Shown as "x" in a table that is published; a table of only omitted
    /// values is left out.
    case omitted

    /// The text for a table: "<5", "15" or "x" (withheld or omitted: the
    /// reader need not tell them apart; what each means follows from the
    /// public steps of `Disclosure.protectWeek`).
    public func text(k: Int) -> String {
        switch self {
        case .suppressed: "<\(k)"
        case .count(let value): String(value)
        case .withheld, .omitted: Self.withheldText
        }
    }

    /// The mark shown for a withheld value.
    public static let withheldText = "x"

    /// Every true value this published value is consistent with, for
    /// policy (k, roundTo) — what an attacker who knows the rules learns:
    ///
    /// - suppressed: 0…k-1;
    /// - count(r): the true values c ≥ k with `rounded(c) == r` (empty when
    ///   no c rounds to r, then nil);
    /// - withheld: k…Int.max (only counts ≥ k are ever withheld);
    /// - omitted: 0…Int.max.
    public func interval(policy: PrivacyPolicy) -> ClosedRange<Int>? {
        let k = policy.effectiveMinGroupSize
        switch self {
        case .suppressed: return 0...(k - 1)
        case .withheld: return k...Int.max
        case .omitted: return 0...Int.max
        case .count(let r): return policy.preimage(ofRounded: r)
        }
    }

    /// True when the cell is hidden (suppressed or withheld).
    public var isHidden: Bool {
        if case .count = self { false } else { true }
    }
}

extension PrivacyPolicy {
    /// k, never below the smallest k the config accepts.
    public var effectiveMinGroupSize: Int { max(minGroupSize, Self.smallestGroupSize) }

    /// The rounding base, at least 1.
    public var effectiveRoundTo: Int { max(roundTo, 1) }

    // Short name for the rules below; private so it claims no public name.
    private var k: Int { effectiveMinGroupSize }

    /// The smallest published count: the least multiple of roundTo that is
    /// ≥ k (k itself when roundTo divides k).
    public var smallestPublishedCount: Int { (k + effectiveRoundTo - 1) / effectiveRoundTo * effectiveRoundTo }

    /// The rounding of a count ≥ k (P5).
    ///
    /// The rule, with m = roundTo: take the nearest multiple of m, halves
    /// up (`⌊(2c + m) / 2m⌋ × m`), then raise it to `smallestPublishedCount` if it is
    /// below. So the published number is always a multiple of m and ≥ k,
    /// whatever m is. When m divides k the floor never bites upward beyond
    /// normal rounding: k=5, m=5: 5,6,7 → 5; 8…12 → 10; 13…17 → 15. When it
    /// does not (k=3, m=5: 3,4 → 5; k=6, m=5: 6,7 → 10; k=3, m=10: 3…14 →
    /// 10) small counts are overstated by at most m-1: we never show a
    /// number below k, and never one that is not a multiple of m.
    public func rounded(_ count: Int) -> Int {
        precondition(count >= k, "only counts ≥ k are rounded")
        let m = effectiveRoundTo
        // count ≥ k ≥ 3, so the division is a floor.
        let nearest = (2 * count + m) / (2 * m) * m
        return max(nearest, smallestPublishedCount)
    }

    /// A true count as it may be published: "<k" below k (P4), else rounded.
    public func publish(_ count: Int) -> PublishedValue {
        count < k ? .suppressed : .count(rounded(count))
    }

    /// The true counts that publish as `.count(r)`, or nil when none does.
    ///
    /// Nearest-multiple rounding with halves up maps exactly the c with
    /// r - ⌊m/2⌋ ≤ c ≤ r + ⌊(m-1)/2⌋ to r; the smallest published value
    /// also takes every c from k up.
    public func preimage(ofRounded r: Int) -> ClosedRange<Int>? {
        let m = effectiveRoundTo
        guard r >= smallestPublishedCount, r % m == 0 else { return nil }
        let upper = r + (m - 1) / 2
        let lower = r == smallestPublishedCount ? k : max(k, r - m / 2)
        return lower <= upper ? lower...upper : nil
    }
}
