/// One `[[adapter]]` of the config: which filter log `vertrouwd adapt`
/// reads, which domain lists decide what a line means, and which subnets
/// are which site and cohort. See docs/adapters.md.
public struct AdapterSettings: Hashable, Sendable {
    /// The log formats an adapter reads.
    public enum Format: String, CaseIterable, Hashable, Sendable {
        case unboundRPZ = "unbound-rpz"
        case dnsmasq
        case e2guardian
        case fortigate
    }

    /// The adapter's name: the `[[source]]` its signals come from.
    public var name: String
    public var format: Format
    /// Glob patterns of domain list files (`domain category` per line).
    public var lists: [String]
    /// Client subnet → site (a value of `taxonomy.sites`).
    public var sites: [SubnetValue]
    /// Client subnet → cohort (a value of `taxonomy.cohorts`).
    public var cohorts: [SubnetValue]
    /// The filter's own category name → a category of the taxonomy
    /// (e2guardian's category, FortiGate's `catdesc`).
    public var categories: [String: String]
    /// The filter's group name → a cohort (e2guardian filter group,
    /// FortiGate `group`).
    public var groups: [String: String]
    /// Where the adapter keeps its read position and key; nil: next to
    /// the state database, `adapter-<name>.state`.
    public var statePath: String?

    public init(name: String, format: Format, lists: [String] = [], sites: [SubnetValue] = [],
                cohorts: [SubnetValue] = [], categories: [String: String] = [:],
                groups: [String: String] = [:], statePath: String? = nil) {
        self.name = name
        self.format = format
        self.lists = lists
        self.sites = sites
        self.cohorts = cohorts
        self.categories = categories
        self.groups = groups
        self.statePath = statePath
    }

    /// The state file: `state`, or `adapter-<name>.state` beside the
    /// state database at `statePath`.
    public func stateFile(beside databasePath: String) -> String {
        if let statePath { return statePath }
        let directory = databasePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let prefix = directory.isEmpty ? (databasePath.hasPrefix("/") ? "/" : "") : directory + "/"
        return prefix + "adapter-\(name).state"
    }
}

/// A CIDR network with the vocabulary value it maps to.
public struct SubnetValue: Hashable, Sendable {
    public var network: IPNetwork
    public var value: String

    public init(network: IPNetwork, value: String) {
        self.network = network
        self.value = value
    }
}
