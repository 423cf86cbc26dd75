import AnvilDHCP
import Testing

@Suite struct DHCPOptionTests {
    private func message(_ options: [DHCPOption]) -> DHCPMessage {
        DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac, options: options)
    }

    @Test func typedAccessorsReadTheLeaseOptions() throws {
        let ack = message([DHCPOption(53, [5]), DHCPOption(54, [10, 77, 0, 1])] + Fixture.leaseOptions
            + [DHCPOption(28, [10, 77, 0, 255])])
        #expect(try ack.messageType == .ack)
        #expect(try ack.serverIdentifier == Fixture.serverA)
        #expect(try ack.leaseTime == 3600)
        #expect(try ack.subnetMask == IPv4Address(255, 255, 255, 0))
        #expect(try ack.routers == [Fixture.serverA])
        #expect(try ack.dnsServers == [IPv4Address(10, 77, 0, 53), IPv4Address(10, 77, 0, 54)])
        #expect(try ack.interfaceMTU == 1400)
        #expect(try ack.domainName == "lab.example")
        #expect(try ack.hostName == "node-1")
        #expect(try ack.broadcastAddress == IPv4Address(10, 77, 0, 255))
        #expect(try ack.classlessStaticRoutes == nil)
    }

    @Test func absentOptionsAreNil() throws {
        let empty = message([])
        #expect(try empty.messageType == nil)
        #expect(try empty.routers == nil)
        #expect(try empty.interfaceMTU == nil)
        #expect(try empty.hostName == nil)
    }

    @Test func repeatedInstancesAreJoined() throws {
        let split = message([DHCPOption(6, [10, 0, 0, 1, 10]), DHCPOption(6, [0, 0, 2])])
        #expect(try split.dnsServers == [IPv4Address(10, 0, 0, 1), IPv4Address(10, 0, 0, 2)])
    }

    @Test func textMayEndInNUL() throws {
        #expect(try message([DHCPOption(12, Array("node".utf8) + [0])]).hostName == "node")
    }

    @Test func zeroLengthIsRejectedWhereDataIsRequired() {
        #expect(throws: DHCPOptionError.badLength(code: 53, length: 0, expected: "1")) { try message([DHCPOption(53, [])]).messageType }
        #expect(throws: DHCPOptionError.badLength(code: 1, length: 0, expected: "4")) { try message([DHCPOption(1, [])]).subnetMask }
        #expect(throws: DHCPOptionError.badLength(code: 3, length: 0, expected: "a non-zero multiple of 4")) {
            try message([DHCPOption(3, [])]).routers
        }
        #expect(throws: DHCPOptionError.badLength(code: 12, length: 0, expected: "at least 1 character")) {
            try message([DHCPOption(12, [])]).hostName
        }
        #expect(throws: DHCPOptionError.badLength(code: 121, length: 0, expected: "at least 5")) {
            try message([DHCPOption(121, [])]).classlessStaticRoutes
        }
    }

    @Test func wrongLengthsAndValuesAreRejected() {
        #expect(throws: DHCPOptionError.badLength(code: 6, length: 6, expected: "a non-zero multiple of 4")) {
            try message([DHCPOption(6, [1, 2, 3, 4, 5, 6])]).dnsServers
        }
        #expect(throws: DHCPOptionError.badLength(code: 51, length: 3, expected: "4")) { try message([DHCPOption(51, [0, 0, 1])]).leaseTime }
        #expect(throws: DHCPOptionError.badValue(code: 53, reason: "unknown message type 9")) { try message([DHCPOption(53, [9])]).messageType }
        #expect(throws: DHCPOptionError.badValue(code: 26, reason: "MTU 67 is below the minimum 68")) { try message([DHCPOption(26, [0, 67])]).interfaceMTU }
        #expect(throws: DHCPOptionError.self) { try message([DHCPOption(15, [0x6C, 0x0A])]).domainName }
    }

    /// The encodings in RFC 3442 section 2's table.
    @Test(arguments: [
        ([0, 10, 77, 0, 1], "0.0.0.0", 0),
        ([8, 10, 10, 77, 0, 1], "10.0.0.0", 8),
        ([16, 10, 17, 10, 77, 0, 1], "10.17.0.0", 16),
        ([24, 10, 27, 129, 10, 77, 0, 1], "10.27.129.0", 24),
        ([25, 10, 229, 0, 128, 10, 77, 0, 1], "10.229.0.128", 25),
        ([32, 10, 198, 122, 47, 10, 77, 0, 1], "10.198.122.47", 32),
    ] as [([UInt8], String, Int)])
    func rfc3442Vectors(data: [UInt8], destination: String, prefixLength: Int) throws {
        let route = DHCPRoute(destination: try #require(IPv4Address(destination)), prefixLength: prefixLength, router: Fixture.serverA)
        #expect(try DHCPRoute.decodeClassless(data) == [route])
        #expect(DHCPRoute.encodeClassless([route]) == data)
    }

    @Test func severalRoutesAndOnLinkRouter() throws {
        let data: [UInt8] = [16, 10, 88, 10, 77, 0, 1, 0, 10, 77, 0, 1, 24, 192, 168, 5, 0, 0, 0, 0]
        let routes = try DHCPRoute.decodeClassless(data)
        #expect(routes.map(\.description) == ["10.88.0.0/16 via 10.77.0.1", "0.0.0.0/0 via 10.77.0.1", "192.168.5.0/24 via on-link"])
        #expect(routes[1].isDefault && routes[2].isOnLink)
    }

    @Test func hostBitsBeyondThePrefixAreCleared() throws {
        let routes = try DHCPRoute.decodeClassless([20, 10, 27, 129, 10, 77, 0, 1])
        #expect(routes.first?.destination == IPv4Address(10, 27, 128, 0))
    }

    @Test func malformedClasslessRoutesAreRejected() {
        #expect(throws: DHCPOptionError.badValue(code: 121, reason: "prefix length 33 at byte 0 exceeds 32")) {
            try DHCPRoute.decodeClassless([33, 1, 2, 3, 4, 5, 6, 7, 8])
        }
        #expect(throws: DHCPOptionError.badValue(code: 121, reason: "route at byte 5 needs 8 bytes, 4 remain")) {
            try DHCPRoute.decodeClassless([0, 10, 77, 0, 1, 24, 10, 0, 0])
        }
        #expect(throws: DHCPOptionError.badLength(code: 121, length: 4, expected: "at least 5")) {
            try DHCPRoute.decodeClassless([0, 10, 77, 0])
        }
    }

    @Test func leaseUsesClasslessRoutesOverRouters() throws {
        let routes = DHCPRoute.encodeClassless([
            DHCPRoute(destination: IPv4Address(10, 88, 0, 0), prefixLength: 16, router: Fixture.serverA),
            DHCPRoute(destination: .any, prefixLength: 0, router: Fixture.serverB),
        ])
        let ack = message([DHCPOption(53, [5]), DHCPOption(3, [10, 77, 0, 1]), DHCPOption(121, routes)])
        var withYiaddr = ack
        withYiaddr.yiaddr = Fixture.offered
        let lease = try DHCPLease(ack: withYiaddr)
        #expect(lease.routes.count == 2)
        #expect(lease.defaultRouter == Fixture.serverB)
        // No subnet mask: the class A mask of 10.x.
        #expect(lease.cidr == "10.77.0.100/8")
    }

    @Test func leaseWithRouterOnlyGetsADefaultRoute() throws {
        var ack = message([DHCPOption(53, [5])] + Fixture.leaseOptions)
        ack.yiaddr = Fixture.offered
        let lease = try DHCPLease(ack: ack)
        #expect(lease.routes == [DHCPRoute(destination: .any, prefixLength: 0, router: Fixture.serverA)])
        #expect(lease.cidr == "10.77.0.100/24")
        #expect(lease.mtu == 1400)
    }

    @Test func nonContiguousMaskIsRejected() {
        var ack = message([DHCPOption(1, [255, 0, 255, 0])])
        ack.yiaddr = Fixture.offered
        #expect(throws: DHCPOptionError.self) { try DHCPLease(ack: ack) }
    }

    @Test func addressParsing() {
        #expect(IPv4Address("10.77.0.1") == Fixture.serverA)
        #expect(IPv4Address("10.77.0") == nil)
        #expect(IPv4Address("10.77.0.256") == nil)
        #expect(IPv4Address("10.77..1") == nil)
        #expect(IPv4Address(255, 255, 240, 0).prefixLength == 20)
        #expect(IPv4Address.any.prefixLength == 0)
        #expect(IPv4Address.broadcast.prefixLength == 32)
    }
}
