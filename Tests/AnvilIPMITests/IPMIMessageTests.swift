import Testing

@testable import AnvilIPMI

@Suite("Inner IPMI message (spec §13.8)")
struct IPMIMessageTests {
    @Test("Get Channel Authentication Capabilities request matches a FreeIPMI capture")
    func channelAuthCapsKnownBytes() {
        // FreeIPMI --debug against a real BMC: rq_seq 0x25, data 8E 03, checksums C8 and 22.
        let request = GetChannelAuthenticationCapabilities.request(privilege: .operator)
        #expect(request.data == [0x8E, 0x03])
        let bytes = IPMIMessage.encodeRequest(request, sequence: 0x25)
        #expect(bytes == [UInt8](hex: "20 18 c8 81 94 38 8e 03 22"))
        // Default (administrator) is the `8E 04` of the reference.
        #expect(GetChannelAuthenticationCapabilities.request().data == [0x8E, 0x04])
    }

    @Test("ipmitool-style Chassis Control power cycle")
    func chassisControlKnownBytes() {
        let bytes = IPMIMessage.encodeRequest(ChassisControl.request(.powerCycle), sequence: 1)
        // rsAddr 20, netFn 00, chk E0, rqAddr 81, seq 1<<2, cmd 02, data 02, chk -(81+04+02+02).
        #expect(bytes == [UInt8](hex: "20 00 e0 81 04 02 02 77"))
    }

    @Test("request round trip keeps netFn, command, data and the 6-bit sequence")
    func requestRoundTrip() throws {
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<500 {
            let request = IPMIRequest(
                netFn: UInt8.random(in: 0...0x3F, using: &generator), command: UInt8.random(in: 0...255, using: &generator),
                data: generator.bytes(Int.random(in: 0...40, using: &generator)))
            let sequence = UInt8.random(in: 0...0x3F, using: &generator)
            let decoded = try IPMIMessage.decodeRequest(IPMIMessage.encodeRequest(request, sequence: sequence))
            #expect(decoded.request == request)
            #expect(decoded.sequence == sequence)
        }
    }

    @Test("response round trip keeps completion code and data")
    func responseRoundTrip() throws {
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<500 {
            let response = IPMIResponse(
                netFn: UInt8.random(in: 0...0x3F, using: &generator) | 1, command: UInt8.random(in: 0...255, using: &generator),
                completionCode: UInt8.random(in: 0...255, using: &generator),
                data: generator.bytes(Int.random(in: 0...40, using: &generator)))
            let sequence = UInt8.random(in: 0...0x3F, using: &generator)
            let decoded = try IPMIMessage.decodeResponse(IPMIMessage.encodeResponse(response, sequence: sequence))
            #expect(decoded.response == response)
            #expect(decoded.sequence == sequence)
        }
    }

    @Test("both checksums sum to zero and a flipped byte is caught")
    func checksums() {
        let bytes = IPMIMessage.encodeRequest(GetChassisStatus.request(), sequence: 5)
        #expect(bytes == [UInt8](hex: "2000e08114016a"))
        #expect(TwosComplementChecksum.isValid(bytes[0...2]))
        #expect(TwosComplementChecksum.isValid(bytes[3...]))
        for index in bytes.indices {
            var corrupted = bytes
            corrupted[index] ^= 0x01
            #expect(throws: IPMIDecodeError.self) { try IPMIMessage.decodeRequest(corrupted) }
        }
        var corrupted = bytes
        corrupted[2] &+= 1
        #expect(throws: IPMIDecodeError.badChecksum(which: "IPMI request message header")) {
            try IPMIMessage.decodeRequest(corrupted)
        }
        #expect("\(IPMIDecodeError.badChecksum(which: "x"))".contains("bad checksum"))
    }

    @Test("responses shorter than 8 bytes throw a truncation error")
    func truncatedResponse() {
        let bytes = IPMIMessage.encodeResponse(IPMIResponse(netFn: 0x07, command: 0x01), sequence: 3)
        #expect(bytes.count == 8)
        for length in 0..<bytes.count {
            #expect(throws: IPMIDecodeError.self) { try IPMIMessage.decodeResponse(Array(bytes.prefix(length))) }
        }
    }

    @Test("a response answering a request has netFn | 1")
    func answeringResponse() {
        let response = IPMIResponse(answering: GetDeviceID.request(), data: [1])
        #expect(response.netFn == 0x07)
        #expect(response.command == 0x01)
    }
}
