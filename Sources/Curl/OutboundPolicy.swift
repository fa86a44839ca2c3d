/// Where a request may connect. Enforced on each *resolved* address as the socket is opened,
/// so a host name that resolves (or re-resolves) to an internal address is refused too.
public struct OutboundPolicy: Sendable, Hashable {
    /// Whether loopback, private, link-local, CGNAT, unique-local, unspecified and multicast
    /// addresses may be reached. Keep this false for anything a tenant configured.
    public var allowPrivateAddresses: Bool

    public init(allowPrivateAddresses: Bool) {
        self.allowPrivateAddresses = allowPrivateAddresses
    }

    /// Only public internet addresses: the default for tenant-configured destinations.
    public static let publicAddressesOnly = OutboundPolicy(allowPrivateAddresses: false)
    /// Any address, for destinations the operator configured (a local relay, an internal LLM).
    public static let privateAddressesAllowed = OutboundPolicy(allowPrivateAddresses: true)
}
