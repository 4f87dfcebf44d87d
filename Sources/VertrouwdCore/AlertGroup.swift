/// One of the store's hourly buckets: how many signals of one category,
/// site, cohort, channel and severity arrived in one UTC hour. Dimensions a
/// signal did not state are "" (empty string). DESIGN §4.
public struct BucketCount: Hashable, Sendable {
    /// UTC hour: epoch seconds / 3600.
    public var hour: Int64
    public var category: String
    public var site: String
    public var cohort: String
    public var channel: String
    public var severity: Severity
    public var count: Int

    public init(
        hour: Int64, category: String, site: String = "", cohort: String = "",
        channel: String = "", severity: Severity = .medium, count: Int
    ) {
        self.hour = hour
        self.category = category
        self.site = site
        self.cohort = cohort
        self.channel = channel
        self.severity = severity
        self.count = count
    }
}

/// How a rule's `group_by` splits counts into groups.
public enum AlertGroup {
    /// The group value for a dimension the signal did not state ("" in the
    /// store), or whose group the taxonomy does not know.
    ///
    /// Signals without a site (or cohort, channel) still count: they form
    /// one group of their own, which may alert like any other. Knowing that
    /// "at least 5" signals came from an unknown site identifies no one, and
    /// dropping them would hide exactly the cases producers could not place.
    /// The value is not well-formed as a vocabulary value (`Vocabulary.isWellFormed`),
    /// so it can never collide with a real site, cohort or channel called
    /// "unknown"; messages render it through the taxonomy's labels.
    public static let unknown = "(unknown)"

    /// The group of `bucket` under `dimensions`: dimension name (the config
    /// spelling, `cohort_group`) → value.
    ///
    /// `cohort_group` and `channel_group` map through the vocabulary's parent
    /// groups. A value that has no parent (a vocabulary without groups, or a
    /// value listed without one) stands for itself: it is then its own group,
    /// as if the rule had grouped by the value. An empty `dimensions` puts
    /// every bucket in the one group `[:]`.
    public static func key(
        of bucket: BucketCount, by dimensions: [Dimension], taxonomy: Taxonomy
    ) -> [String: String] {
        var key: [String: String] = [:]
        for dimension in dimensions {
            key[dimension.rawValue] = value(of: bucket, dimension, taxonomy: taxonomy)
        }
        return key
    }

    /// The value of one dimension for a bucket.
    public static func value(of bucket: BucketCount, _ dimension: Dimension, taxonomy: Taxonomy) -> String {
        let raw: String
        switch dimension {
        case .site: raw = bucket.site
        case .cohort: raw = bucket.cohort
        case .channel: raw = bucket.channel
        case .category: raw = bucket.category
        case .cohortGroup:
            raw = bucket.cohort.isEmpty ? "" : (taxonomy.cohorts.group(of: bucket.cohort) ?? bucket.cohort)
        case .channelGroup:
            raw = bucket.channel.isEmpty ? "" : (taxonomy.channels.group(of: bucket.channel) ?? bucket.channel)
        }
        return raw.isEmpty ? unknown : raw
    }

    /// A stable text form of a group for sorting and logs: "channel=instagram,site=hoofdgebouw".
    public static func sortKey(_ group: [String: String]) -> String {
        group.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
