import AnvilDHCP
import Testing

@Suite struct DHCPMessageCodingTests {
    /// A DHCPDISCOVER laid out by hand from RFC 2131 figure 1, compared byte for byte with the client's.
    @Test func discoverIsByteExact() throws {
        var client = Fixture.client()
        let discover = try #require(client.handle(.start, at: .zero).sent.first)

        var expected: [UInt8] = [1, 1, 6, 0]                  // op, htype, hlen, hops
        expected += [0xCA, 0xFE, 0x00, 0x01]                   // xid
        expected += [0, 0, 0x80, 0x00]                         // secs, flags: broadcast
        expected += Array(repeating: 0, count: 16)             // ciaddr, yiaddr, siaddr, giaddr
        expected += Fixture.mac + Array(repeating: 0, count: 10)  // chaddr
        expected += Array(repeating: 0, count: 64 + 128)       // sname, file
        expected += [99, 130, 83, 99]                          // magic cookie
        expected += [53, 1, 1]                                 // DHCPDISCOVER
        expected += [61, 7, 1] + Fixture.mac                   // client id: Ethernet + MAC
        expected += [55, 10, 1, 3, 6, 12, 15, 26, 28, 121, 51, 54]
        expected += [57, 2, 0x05, 0xDC]                        // max message size 1500
        expected += [255]
        expected += Array(repeating: 0, count: 300 - expected.count)
        #expect(discover.encoded() == expected)
        #expect(try DHCPMessage(decoding: expected) == discover)
    }

    @Test func replyRoundTrips() throws {
        var message = Fixture.reply(to: Fixture.client().buildFirstDiscover(), .ack, options: Fixture.leaseOptions)
        message.secs = 7
        message.hops = 1
        message.siaddr = IPv4Address(10, 77, 0, 9)
        message.giaddr = IPv4Address(10, 1, 0, 1)
        message.sname = Array("boot-server".utf8)
        message.file = Array("pxelinux.0".utf8)
        let decoded = try DHCPMessage(decoding: message.encoded())
        #expect(decoded == message)
        #expect(decoded.clientHardwareAddress == Fixture.mac)
    }

    @Test func longOptionsSplitAndJoin() throws {
        let long = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        let message = DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac, options: [DHCPOption(224, long)])
        let bytes = message.encoded()
        #expect(bytes[240] == 224 && bytes[241] == 255)
        #expect(bytes[240 + 2 + 255] == 224 && bytes[240 + 2 + 255 + 1] == 45)
        #expect(try DHCPMessage(decoding: bytes).option(224) == long)
    }

    @Test func padsAreSkippedAndEndStops() throws {
        var bytes = DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac).encoded()
        bytes.replaceSubrange(240..., with: [0, 0, 53, 1, 2, 0, 255, 53, 9, 9])
        let message = try DHCPMessage(decoding: bytes)
        #expect(message.options == [DHCPOption(53, [2])])
    }

    @Test func missingEndIsTolerated() throws {
        var bytes = DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac).encoded()
        bytes.replaceSubrange(240..., with: [53, 1, 5])
        #expect(try DHCPMessage(decoding: bytes).type == .ack)
    }

    @Test func overloadedFileAndSnameHoldOptions() throws {
        var bytes = DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac).encoded()
        bytes.replaceSubrange(240..., with: [52, 1, 3, 53, 1, 2, 255])
        bytes.replaceSubrange(108..<114, with: [3, 4, 10, 77, 0, 1])          // file: router
        bytes.replaceSubrange(44..<51, with: [15, 3, 0x6C, 0x61, 0x62, 255, 0]) // sname: domain "lab"
        let message = try DHCPMessage(decoding: bytes)
        #expect(message.type == .offer)
        #expect(try message.routers == [Fixture.serverA])
        #expect(try message.domainName == "lab")
        #expect(message.file.isEmpty && message.sname.isEmpty)
        #expect(message.option(DHCPOptionCode.optionOverload) == nil)
    }

    @Test func shortHeaderIsRejected() {
        #expect(throws: DHCPDecodingError.truncatedHeader(length: 239)) {
            try DHCPMessage(decoding: [UInt8](repeating: 0, count: 239))
        }
        #expect(throws: DHCPDecodingError.truncatedHeader(length: 0)) { try DHCPMessage(decoding: []) }
    }

    @Test func badCookieIsRejected() {
        var bytes = DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac).encoded()
        bytes[239] = 0
        #expect(throws: DHCPDecodingError.badMagicCookie([99, 130, 83, 0])) { try DHCPMessage(decoding: bytes) }
    }

    @Test func badOperationAndHardwareLengthAreRejected() {
        var bytes = DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac).encoded()
        bytes[0] = 3
        #expect(throws: DHCPDecodingError.unknownOperation(3)) { try DHCPMessage(decoding: bytes) }
        bytes[0] = 2
        bytes[2] = 17
        #expect(throws: DHCPDecodingError.hardwareAddressTooLong(17)) { try DHCPMessage(decoding: bytes) }
    }

    @Test func optionRunningPastTheEndIsRejected() {
        var bytes = Array(DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac).encoded().prefix(240))
        bytes += [53, 1, 2, 6, 8, 10, 77, 0, 53]
        #expect(throws: DHCPDecodingError.optionBeyondEnd(code: 6, offset: 243, length: 8, available: 4)) {
            try DHCPMessage(decoding: bytes)
        }
        bytes = Array(bytes.prefix(244))
        #expect(throws: DHCPDecodingError.optionLengthMissing(code: 6, offset: 243)) { try DHCPMessage(decoding: bytes) }
    }

    @Test func badOverloadIsRejected() {
        var bytes = DHCPMessage(operation: .reply, xid: 1, chaddr: Fixture.mac).encoded()
        bytes.replaceSubrange(240..., with: [52, 1, 4, 255])
        #expect(throws: DHCPDecodingError.badOptionOverload([4])) { try DHCPMessage(decoding: bytes) }
    }

    @Test func errorsNameTheProblem() {
        let error = DHCPDecodingError.optionBeyondEnd(code: 6, offset: 243, length: 8, available: 4)
        #expect(error.description == "DHCP option 6 at offset 243 claims 8 bytes but only 4 remain")
    }

    @Test func truncationsOfAValidPacketNeverCrash() {
        let bytes = Fixture.reply(to: Fixture.client().buildFirstDiscover(), .ack, options: Fixture.leaseOptions).encoded()
        for length in 0..<bytes.count {
            _ = try? DHCPMessage(decoding: bytes.prefix(length))
        }
        var garbage = bytes
        for index in 240..<garbage.count { garbage[index] = UInt8(truncatingIfNeeded: index * 37) }
        _ = try? DHCPMessage(decoding: garbage)
    }
}

extension DHCPClient {
    /// The DHCPDISCOVER a fresh client sends first.
    func buildFirstDiscover() -> DHCPMessage {
        var copy = self
        return copy.handle(.start, at: .zero).sent.first ?? DHCPMessage(operation: .request, xid: 0, chaddr: [])
    }
}
