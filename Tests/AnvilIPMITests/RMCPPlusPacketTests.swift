import Testing

@testable import AnvilIPMI

@Suite("RMCP+ packets: header, integrity trailer, AES-CBC-128 (spec §13.6, §13.28–13.29)")
struct RMCPPlusPacketTests {
    static let allKeys = [Fixtures.suite3Keys, Fixtures.suite17Keys]

    @Test("session setup packets go in the clear with little-endian fields")
    func clearPacketLayout() throws {
        let packet = RMCPPlusPacket(payloadType: .rakp1, sessionID: 0x1122_3344, sequence: 0x5566_7788, payload: [0xAA, 0xBB])
        let bytes = try packet.encode(keys: nil, iv: [])
        #expect(bytes == [UInt8](hex: "0600ff07 06 12 44332211 88776655 0200 aabb"))
        let decoded = try RMCPPlusPacket.decode(bytes, keys: nil)
        #expect(decoded == packet)
        #expect(!decoded.encrypted && !decoded.authenticated)
    }

    @Test("authenticated and encrypted round trip for suites 3 and 17, every payload length 0…40")
    func sessionRoundTrip() throws {
        for keys in Self.allKeys {
            for length in 0...40 {
                var packet = RMCPPlusPacket(
                    payloadType: .ipmi, sessionID: 0x1234_5678, sequence: UInt32(length + 1),
                    payload: (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) })
                let bytes = try packet.encode(keys: keys, iv: Fixtures.iv)
                // The AuthCode covers AuthType through next header, a multiple of 4.
                let authCodeLength = keys.suite.id == 3 ? 12 : 16
                #expect((bytes.count - 4 - authCodeLength) % 4 == 0)
                #expect(bytes[5] == 0xC0)
                let decoded = try RMCPPlusPacket.decode(bytes, keys: keys)
                packet.encrypted = true
                packet.authenticated = true
                #expect(decoded == packet)
            }
        }
    }

    /// The RMCP header's reserved and RMCP-sequence bytes are outside the AuthCode by design; everything from
    /// AuthType on is covered.
    @Test("every single-byte change from AuthType on is refused")
    func tamperDetection() throws {
        for keys in Self.allKeys {
            let bytes = try RMCPPlusPacket(payloadType: .ipmi, sessionID: 7, sequence: 9, payload: [1, 2, 3, 4, 5])
                .encode(keys: keys, iv: Fixtures.iv)
            for index in [0, 3] + Array(4..<bytes.count) {
                for flip: UInt8 in [0x01, 0x80] {
                    var tampered = bytes
                    tampered[index] ^= flip
                    #expect(throws: IPMIDecodeError.self) { try RMCPPlusPacket.decode(tampered, keys: keys) }
                }
            }
            for length in 0..<bytes.count {
                #expect(throws: IPMIDecodeError.self) { try RMCPPlusPacket.decode(Array(bytes.prefix(length)), keys: keys) }
            }
        }
    }

    @Test("wrong keys fail the integrity check; no keys fail loudly")
    func keyMismatch() throws {
        let bytes = try RMCPPlusPacket(payloadType: .ipmi, sessionID: 7, sequence: 9, payload: [1, 2, 3])
            .encode(keys: Fixtures.suite3Keys, iv: Fixtures.iv)
        let otherKeys = RMCPPlusSessionKeys(
            suite: .suite3, integrityKey: [UInt8](repeating: 1, count: 20), confidentialityKey: Fixtures.suite3Keys.confidentialityKey)
        #expect(throws: IPMIDecodeError.integrityCheckFailed) { try RMCPPlusPacket.decode(bytes, keys: otherKeys) }
        #expect("\(IPMIDecodeError.integrityCheckFailed)" == "integrity check failed")
        #expect(throws: IPMIDecodeError.missingSessionKeys("packet is authenticated")) {
            try RMCPPlusPacket.decode(bytes, keys: nil)
        }
    }

    @Test("a payload length beyond the datagram is reported with both numbers")
    func payloadLengthOverrun() {
        let bytes = [UInt8](hex: "0600ff07 06 00 00000000 00000000 2800") + [UInt8](repeating: 0, count: 12)
        #expect(throws: IPMIDecodeError.payloadLengthExceedsDatagram(declared: 40, available: 12)) {
            try RMCPPlusPacket.decode(bytes, keys: nil)
        }
        #expect(
            "\(IPMIDecodeError.payloadLengthExceedsDatagram(declared: 40, available: 12))"
                == "RMCP+ packet truncated: payload length 40 but 12 bytes left")
    }

    @Test("confidentiality pad must be 01 02 … N, N")
    func badConfidentialityPad() throws {
        // Encrypt a block whose pad is wrong, then authenticate it properly, so only the pad is at fault.
        let keys = Fixtures.suite17Keys
        let goodPayload = try RMCPPlusCrypto.encryptAESCBC128([1, 2, 3], k2: keys.confidentialityKey, iv: Fixtures.iv)
        #expect(try RMCPPlusCrypto.decryptAESCBC128(goodPayload, k2: keys.confidentialityKey) == [1, 2, 3])
        var plaintext: [UInt8] = [1, 2, 3] + Array(1...12) + [12]
        plaintext[5] = 0xEE
        let badPayload = try RMCPPlusCrypto.encryptAESCBC128(plaintext, k2: keys.confidentialityKey, iv: Fixtures.iv)
        // encryptAESCBC128 adds a full block of padding (N = 15) to a 16-byte plaintext; strip to the first block.
        let oneBlock = Array(badPayload.prefix(32))
        #expect(throws: IPMIDecodeError.self) { try RMCPPlusCrypto.decryptAESCBC128(oneBlock, k2: keys.confidentialityKey) }
        #expect(throws: IPMIDecodeError.self) {
            try RMCPPlusCrypto.decryptAESCBC128(Array(goodPayload.prefix(20)), k2: keys.confidentialityKey)
        }
    }

    @Test("encoding checks the IV and never encrypts without keys")
    func encodeArguments() throws {
        let packet = RMCPPlusPacket(payloadType: .ipmi, payload: [1])
        #expect(throws: IPMIDecodeError.self) { try packet.encode(keys: Fixtures.suite3Keys, iv: [1, 2, 3]) }
        #expect(try packet.encode(keys: nil, iv: [1, 2, 3]).count == 4 + 12 + 1)
    }

    @Test("OEM and unknown payload types are refused")
    func unknownPayloadType() {
        let bytes = [UInt8](hex: "0600ff07 06 02 00000000 00000000 0000")
        #expect(throws: IPMIDecodeError.self) { try RMCPPlusPacket.decode(bytes, keys: nil) }
    }
}
