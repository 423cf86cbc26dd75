import AnvilDHCP

/// Messages and helpers shared by the DHCP tests.
enum Fixture {
    static let mac: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
    static let serverA = IPv4Address(10, 77, 0, 1)
    static let serverB = IPv4Address(10, 77, 0, 2)
    static let offered = IPv4Address(10, 77, 0, 100)

    /// A server's reply to `request`, as dnsmasq would shape it.
    static func reply(
        to request: DHCPMessage, _ type: DHCPMessageType, yiaddr: IPv4Address = offered,
        server: IPv4Address? = serverA, options: [DHCPOption] = []
    ) -> DHCPMessage {
        var all = [DHCPOption(DHCPOptionCode.messageType, [type.rawValue])]
        if let server { all.append(DHCPOption(DHCPOptionCode.serverIdentifier, addresses: [server])) }
        all += options
        return DHCPMessage(
            operation: .reply, xid: request.xid, flags: request.flags, yiaddr: yiaddr,
            chaddr: request.chaddr, options: all)
    }

    static let leaseOptions: [DHCPOption] = [
        DHCPOption(DHCPOptionCode.leaseTime, [0, 0, 0x0E, 0x10]),
        DHCPOption(DHCPOptionCode.subnetMask, addresses: [IPv4Address(255, 255, 255, 0)]),
        DHCPOption(DHCPOptionCode.router, addresses: [serverA]),
        DHCPOption(DHCPOptionCode.domainNameServer, addresses: [IPv4Address(10, 77, 0, 53), IPv4Address(10, 77, 0, 54)]),
        DHCPOption(DHCPOptionCode.interfaceMTU, [0x05, 0x78]),
        DHCPOption(DHCPOptionCode.domainName, Array("lab.example".utf8)),
        DHCPOption(DHCPOptionCode.hostName, Array("node-1".utf8)),
    ]

    static func client(deadline: Duration = .seconds(30), maximumRetransmission: Duration = .seconds(64), requestAttempts: Int = 4) -> DHCPClient {
        DHCPClient(configuration: DHCPClientConfiguration(
            hardwareAddress: mac, xid: 0xCAFE_0001, deadline: deadline,
            maximumRetransmission: maximumRetransmission, requestAttempts: requestAttempts))
    }
}

extension [DHCPClientAction] {
    /// The messages among the actions.
    var sent: [DHCPMessage] {
        compactMap { if case .send(let message) = $0 { message } else { nil } }
    }

    /// The last wait's time.
    var waitUntil: Duration? {
        compactMap { if case .wait(let until) = $0 { until } else { nil } }.last
    }
}

extension DHCPMessage {
    /// The message type, or nil when it is absent or malformed (tests only).
    var type: DHCPMessageType? { try? messageType }
}
