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
    /// The distinct pupils seen in this hour and group, sorted: what every
    /// rule and summary cell counts (`Pupils.swift`).
    public var pupils: [PupilID]
    /// How many pupils: `pupils.count`.
    public var count: Int { pupils.count }

    /// A bucket with its pupils.
    public init(
        hour: Int64, category: String, site: String = "", cohort: String = "",
        channel: String = "", severity: Severity = .medium, pupils: [PupilID]
    ) {
        self.hour = hour
        self.category = category
        self.site = site
        self.cohort = cohort
        self.channel = channel
        self.severity = severity
        self.pupils = Self.distinctSorted(pupils)
    }

    /// The ids sorted, each once. Sorted first and then thinned rather
    /// than put through a Set: the store hands over ids already in order,
    /// or in two ordered runs (SQLite's signed order), which the standard
    /// library's sort merges in linear time; a Set hashed every id (about
    /// 2,600 instructions a bucket on ingest's commit thread, `make bench` 8).
    static func distinctSorted(_ ids: [PupilID]) -> [PupilID] {
        var sorted = ids
        sorted.sort()
        guard sorted.count > 1 else { return sorted }
        var kept = 1
        for i in 1..<sorted.count where sorted[i] != sorted[kept - 1] {
            sorted[kept] = sorted[i]
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }

    /// A bucket of `count` pupils who appear in no other bucket, this
    /// bucket's equal included (fresh ids from `SyntheticPupils`): for
    /// callers that think in numbers, such as tests. Two such buckets of
    /// the same hour and group add up.
    public init(
        hour: Int64, category: String, site: String = "", cohort: String = "",
        channel: String = "", severity: Severity = .medium, count: Int
    ) {
        let seed = UInt64.random(in: .min ... .max)
        self.init(hour: hour, category: category, site: site, cohort: cohort, channel: channel,
                  severity: severity, pupils: SyntheticPupils.ids(seed: seed, count: count))
    }
}

/// What a group is made of: a bucket's dimensions without its hour,
/// severity (no rule groups by it) and count. Buckets of one profile fall
/// in the same group of every rule, so the engine works a group out once
/// per profile rather than once per bucket.
struct BucketProfile: Hashable, Sendable {
    var category: String
    var site: String
    var cohort: String
    var channel: String

    init(_ bucket: BucketCount) {
        category = bucket.category
        site = bucket.site
        cohort = bucket.cohort
        channel = bucket.channel
    }

    /// A bucket of this profile.
    func bucket(hour: Int64, pupils: Set<PupilID>) -> BucketCount {
        BucketCount(hour: hour, category: category, site: site, cohort: cohort, channel: channel, pupils: Array(pupils))
    }
}

/// How a rule's `group_by` splits counts into groups.
public enum AlertGroup {
    /// The group of `bucket` under `dimensions`.
    ///
    /// `cohort_group` and `channel_group` map through the vocabulary's parent
    /// groups. A value that has no parent (a vocabulary without groups, or a
    /// value listed without one) stands for itself: it is then its own group,
    /// as if the rule had grouped by the value. An empty `dimensions` puts
    /// every bucket in the one group `GroupKey.wholeSchool`.
    public static func key(
        of bucket: BucketCount, by dimensions: [Dimension], taxonomy: Taxonomy
    ) -> GroupKey {
        GroupKey(dimensions.map { GroupKey.Part($0, value(of: bucket, $0, taxonomy: taxonomy)) })
    }

    /// The value of one dimension for a bucket: `.unknown` for a dimension
    /// the signal did not state ("" in the store).
    public static func value(of bucket: BucketCount, _ dimension: Dimension, taxonomy: Taxonomy) -> GroupKey.Value {
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
        return raw.isEmpty ? .unknown : .known(raw)
    }
}
