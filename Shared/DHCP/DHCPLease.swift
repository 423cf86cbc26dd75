/// What a DHCPACK gives the client: its address and the network settings to apply.
public struct DHCPLease: Hashable, Sendable {
    public var address: IPv4Address
    /// The prefix length of the subnet (from option 1, or the address's class when absent).
    public var prefixLength: Int
    public var serverIdentifier: IPv4Address?
    /// Seconds; nil when the server sent none, 0xFFFFFFFF for infinite.
    public var leaseTime: UInt32?
    public var routers: [IPv4Address]
    /// Option 121: when present, clients ignore the router option (RFC 3442 section 2).
    public var classlessRoutes: [DHCPRoute]
    public var dnsServers: [IPv4Address]
    public var domainName: String?
    public var hostName: String?
    public var mtu: UInt16?
    public var broadcastAddress: IPv4Address?

    public init(
        address: IPv4Address, prefixLength: Int, serverIdentifier: IPv4Address? = nil, leaseTime: UInt32? = nil,
        routers: [IPv4Address] = [], classlessRoutes: [DHCPRoute] = [], dnsServers: [IPv4Address] = [],
        domainName: String? = nil, hostName: String? = nil, mtu: UInt16? = nil, broadcastAddress: IPv4Address? = nil
    ) {
        self.address = address
        self.prefixLength = prefixLength
        self.serverIdentifier = serverIdentifier
        self.leaseTime = leaseTime
        self.routers = routers
        self.classlessRoutes = classlessRoutes
        self.dnsServers = dnsServers
        self.domainName = domainName
        self.hostName = hostName
        self.mtu = mtu
        self.broadcastAddress = broadcastAddress
    }

    /// The lease in a DHCPACK. Throws when an option the agent applies is malformed, or when
    /// the subnet mask is not contiguous.
    public init(ack: DHCPMessage) throws(DHCPOptionError) {
        var prefixLength = Self.classfulPrefixLength(ack.yiaddr)
        if let mask = try ack.subnetMask {
            guard let length = mask.prefixLength else {
                throw .badValue(code: DHCPOptionCode.subnetMask, reason: "\(mask) is not a contiguous netmask")
            }
            prefixLength = length
        }
        self.init(
            address: ack.yiaddr, prefixLength: prefixLength, serverIdentifier: try ack.serverIdentifier,
            leaseTime: try ack.leaseTime, routers: try ack.routers ?? [], classlessRoutes: try ack.classlessStaticRoutes ?? [],
            dnsServers: try ack.dnsServers ?? [], domainName: try ack.domainName, hostName: try ack.hostName,
            mtu: try ack.interfaceMTU, broadcastAddress: try ack.broadcastAddress)
    }

    /// The netmask for `prefixLength`.
    public var subnetMask: IPv4Address { IPv4Address.netmask(prefixLength: prefixLength) }

    /// The address in CIDR notation, "10.77.0.100/24".
    public var cidr: String { "\(address)/\(prefixLength)" }

    /// The routes to install: option 121's when the server sent it, else a default route via
    /// the first router (RFC 3442: a client that receives both ignores option 3).
    public var routes: [DHCPRoute] {
        if !classlessRoutes.isEmpty { return classlessRoutes }
        guard let router = routers.first else { return [] }
        return [DHCPRoute(destination: .any, prefixLength: 0, router: router)]
    }

    /// The default router the routes name, for reporting.
    public var defaultRouter: IPv4Address? {
        routes.first(where: \.isDefault).flatMap { $0.isOnLink ? nil : $0.router }
    }

    /// The pre-CIDR class mask, for servers that send no subnet mask.
    static func classfulPrefixLength(_ address: IPv4Address) -> Int {
        switch address.value >> 24 {
        case 0..<128: 8
        case 128..<192: 16
        default: 24
        }
    }
}
