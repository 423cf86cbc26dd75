import AnvilDHCP
import Testing
@testable import AnvilAgent

@Suite struct NetworkNetlinkTests {
    /// Little-endian hosts (x86-64, arm64), which is where the agent runs.
    private func le32(_ value: UInt32) -> [UInt8] { [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value >> $0) } }
    private func le16(_ value: UInt16) -> [UInt8] { [UInt8(truncatingIfNeeded: value), UInt8(value >> 8)] }

    @Test func linkUpSetsOnlyIFFUp() {
        let message = RouteNetlinkMessage.linkUp(index: 3, sequence: 7)
        var expected = le32(32) + le16(16) + le16(0x5) + le32(7) + le32(0)
        expected += [0, 0] + le16(0) + le32(3) + le32(1) + le32(1)
        #expect(message.bytes == expected)
    }

    @Test func addressCarriesLocalAddressAndBroadcast() {
        let message = RouteNetlinkMessage.addAddress(
            index: 2, address: IPv4Address(10, 77, 0, 100), prefixLength: 24, broadcast: IPv4Address(10, 77, 0, 255), sequence: 9)
        var expected = le32(16 + 8 + 24) + le16(20) + le16(0x505) + le32(9) + le32(0)
        expected += [2, 24, 0, 0] + le32(2)
        expected += le16(8) + le16(2) + [10, 77, 0, 100]
        expected += le16(8) + le16(1) + [10, 77, 0, 100]
        expected += le16(8) + le16(4) + [10, 77, 0, 255]
        #expect(message.bytes == expected)
    }

    @Test func defaultRouteHasGatewayAndNoDestination() {
        let route = DHCPRoute(destination: .any, prefixLength: 0, router: IPv4Address(10, 77, 0, 1))
        let message = RouteNetlinkMessage.addRoute(index: 2, route: route, sequence: 4)
        var expected = le32(16 + 12 + 16) + le16(24) + le16(0x505) + le32(4) + le32(0)
        expected += [2, 0, 0, 0, 254, 16, 0, 1] + le32(0)
        expected += le16(8) + le16(5) + [10, 77, 0, 1]
        expected += le16(8) + le16(4) + le32(2)
        #expect(message.bytes == expected)
    }

    @Test func onLinkRouteHasLinkScopeAndNoGateway() {
        let route = DHCPRoute(destination: IPv4Address(192, 168, 5, 0), prefixLength: 24, router: .any)
        let bytes = RouteNetlinkMessage.addRoute(index: 2, route: route, sequence: 4).bytes
        #expect(Array(bytes[16..<24]) == [2, 24, 0, 0, 254, 16, 253, 1])
        #expect(Array(bytes[28...]) == le16(8) + le16(1) + [192, 168, 5, 0] + le16(8) + le16(4) + le32(2))
    }

    @Test func mtuIsAnAttribute() {
        let bytes = RouteNetlinkMessage.setMTU(index: 5, mtu: 1400, sequence: 1).bytes
        #expect(bytes.count == 40)
        #expect(Array(bytes[32...]) == le16(8) + le16(4) + le32(1400))
    }

    @Test func acknowledgementIsFoundBySequence() {
        func ack(sequence: UInt32, errno: Int32) -> [UInt8] {
            le32(36) + le16(2) + le16(0) + le32(sequence) + le32(99) + le32(UInt32(bitPattern: -errno)) + [UInt8](repeating: 0, count: 16)
        }
        #expect(RouteNetlinkMessage.acknowledgement(in: ack(sequence: 3, errno: 0), sequence: 3) == 0)
        #expect(RouteNetlinkMessage.acknowledgement(in: ack(sequence: 2, errno: 17) + ack(sequence: 3, errno: 17), sequence: 3) == 17)
        #expect(RouteNetlinkMessage.acknowledgement(in: ack(sequence: 2, errno: 0), sequence: 3) == nil)
        #expect(RouteNetlinkMessage.acknowledgement(in: Array(ack(sequence: 3, errno: 0).prefix(20)), sequence: 3) == nil)
        #expect(RouteNetlinkMessage.acknowledgement(in: [], sequence: 3) == nil)
    }
}
