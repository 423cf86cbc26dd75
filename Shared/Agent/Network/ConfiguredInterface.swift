import AnvilDHCP

/// An interface the agent configured from a DHCP lease: what it now has, for logs and reports.
public struct ConfiguredInterface: Codable, Hashable, Sendable {
    public var name: String
    /// Lower-case, colon-separated.
    public var mac: String
    /// The leased address in CIDR notation, "10.77.0.100/24".
    public var address: String
    /// The default route's router, when there is one.
    public var router: String?
    /// The routes installed, "10.88.0.0/16 via 10.77.0.1".
    public var routes: [String]
    public var dns: [String]
    public var domain: String?
    public var hostname: String?
    public var mtu: Int?
    /// The DHCP server that granted the lease.
    public var server: String?
    /// Seconds; nil when the server sent none.
    public var leaseSeconds: UInt32?

    public init(
        name: String, mac: String, address: String, router: String? = nil, routes: [String] = [], dns: [String] = [],
        domain: String? = nil, hostname: String? = nil, mtu: Int? = nil, server: String? = nil, leaseSeconds: UInt32? = nil
    ) {
        self.name = name
        self.mac = mac
        self.address = address
        self.router = router
        self.routes = routes
        self.dns = dns
        self.domain = domain
        self.hostname = hostname
        self.mtu = mtu
        self.server = server
        self.leaseSeconds = leaseSeconds
    }

    /// What `lease` gives `interface` (named by `name` and `mac`).
    public init(name: String, mac: String, lease: DHCPLease) {
        self.init(
            name: name, mac: mac, address: lease.cidr, router: lease.defaultRouter?.description,
            routes: lease.routes.map(\.description), dns: lease.dnsServers.map(\.description),
            domain: lease.domainName, hostname: lease.hostName, mtu: lease.mtu.map(Int.init),
            server: lease.serverIdentifier?.description, leaseSeconds: lease.leaseTime)
    }
}
