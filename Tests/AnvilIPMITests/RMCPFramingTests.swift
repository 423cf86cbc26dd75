import Testing

@testable import AnvilIPMI

@Suite("RMCP, ASF presence and IPMI v1.5 framing (spec §13.1–13.6)")
struct RMCPFramingTests {
    @Test func headers() {
        #expect(RMCPHeader.ipmi == [0x06, 0x00, 0xFF, 0x07])
        #expect(RMCPHeader.asf == [0x06, 0x00, 0xFF, 0x06])
    }

    @Test("presence ping bytes and pong decoding")
    func presencePing() throws {
        #expect(ASFPresencePing.encode(tag: 0x2A) == [UInt8](hex: "0600ff06 000011be 80 2a 00 00"))
        let pong = [UInt8](hex: "0600ff06 000011be 40 2a 00 10 000011be 00000000 81 00 000000000000")
        let decoded = try ASFPresencePing.decodePong(pong)
        #expect(decoded.tag == 0x2A)
        #expect(decoded.supportsIPMI)
        var noIPMI = pong
        noIPMI[20] = 0x01
        #expect(try ASFPresencePing.decodePong(noIPMI).supportsIPMI == false)
        // A ping is not a pong.
        #expect(throws: IPMIDecodeError.self) { try ASFPresencePing.decodePong(ASFPresencePing.encode(tag: 1)) }
        for length in 0..<pong.count - 6 {
            #expect(throws: IPMIDecodeError.self) { try ASFPresencePing.decodePong(Array(pong.prefix(length))) }
        }
    }

    @Test("session-less v1.5 packet matches a FreeIPMI capture and round-trips")
    func ipmi15Packet() throws {
        let message = [UInt8](hex: "20 18 c8 81 94 38 8e 03 22")
        let datagram = IPMI15Packet.encode(message: message)
        #expect(datagram == [UInt8](hex: "0600ff07 00 00000000 00000000 09") + message)
        #expect(try IPMI15Packet.decode(datagram) == message)
        // Legacy trailing pad byte is tolerated.
        #expect(try IPMI15Packet.decode(datagram + [0x00]) == message)
        for length in 0..<datagram.count {
            #expect(throws: IPMIDecodeError.self) { try IPMI15Packet.decode(Array(datagram.prefix(length))) }
        }
    }

    @Test("v1.5 reply with an MD5 AuthCode skips it")
    func ipmi15WithAuthCode() throws {
        let message: [UInt8] = [0x81, 0x1C, 0x63, 0x20, 0x04, 0x38, 0x00, 0xA4]
        let datagram = RMCPHeader.ipmi + [0x02] + [UInt8](repeating: 0, count: 8) + [UInt8](repeating: 0xAB, count: 16)
            + [UInt8(message.count)] + message
        #expect(try IPMI15Packet.decode(datagram) == message)
    }

    @Test("datagram classification")
    func datagramKind() throws {
        #expect(try IPMIDatagram.kind(of: ASFPresencePing.encode(tag: 0)) == .asf)
        #expect(try IPMIDatagram.kind(of: IPMI15Packet.encode(message: [1, 2, 3])) == .ipmi15)
        let plus = try RMCPPlusPacket(payloadType: .openSessionRequest, payload: [1]).encode(keys: nil, iv: [])
        #expect(try IPMIDatagram.kind(of: plus) == .rmcpPlus)
        #expect(throws: IPMIDecodeError.self) { try IPMIDatagram.kind(of: [0x06, 0x00, 0xFF, 0x87, 0x00]) }
        #expect(throws: IPMIDecodeError.self) { try IPMIDatagram.kind(of: [0x05, 0x00, 0xFF, 0x07, 0x00]) }
        #expect(throws: IPMIDecodeError.self) { try IPMIDatagram.kind(of: [0x06, 0x00, 0xFF, 0x07]) }
    }
}
