import VertrouwdCore

/// Client address → vocabulary value (site or cohort) by the most specific
/// CIDR network that contains it: `10.1.40.0/24` beats `10.1.0.0/16`.
public struct SubnetMap: Sendable {
    private let networks: [SubnetValue]

    public init(_ networks: [SubnetValue]) {
        // Longest prefix first, so the first hit is the most specific.
        self.networks = networks.sorted { $0.network.prefixLength > $1.network.prefixLength }
    }

    public var isEmpty: Bool { networks.isEmpty }

    public func value(for address: IPAddress) -> String? {
        networks.first { $0.network.contains(address) }?.value
    }
}
