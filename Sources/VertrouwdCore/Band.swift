/// Alert bands (DESIGN §5): a threshold rule alerts when a group's count in
/// the current window reaches `min_count`, and again at 2×, 4× … that. An
/// alert reports the band as "at least <band>", never the count itself (P9).
public enum Bands {
    /// The largest `minCount × 2^n` (n ≥ 0) that is ≤ `count`, or nil when
    /// `count < minCount` (or `minCount` is not positive).
    ///
    /// For minCount 5: 4 → nil, 5 → 5, 9 → 5, 10 → 10, 19 → 10, 20 → 20.
    public static func band(for count: Int, minCount: Int) -> Int? {
        guard minCount > 0, count >= minCount else { return nil }
        var band = minCount
        // `band <= count / 2` is `2 × band <= count` without overflow.
        while band <= count / 2 { band *= 2 }
        return band
    }

    /// Every band crossed on the way up to `count`, ascending: the alert
    /// and all its escalations in one window. Empty below `minCount`.
    public static func all(upTo count: Int, minCount: Int) -> [Int] {
        guard let top = band(for: count, minCount: minCount) else { return [] }
        var bands = [minCount]
        while bands[bands.count - 1] < top { bands.append(bands[bands.count - 1] * 2) }
        return bands
    }
}
