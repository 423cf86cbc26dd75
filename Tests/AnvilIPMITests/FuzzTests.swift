import Testing

@testable import AnvilIPMI

/// Random, truncated and mutated inputs: every decoder must throw or succeed, never trap.
@Suite("Decoders survive garbage")
struct FuzzTests {
    /// Valid encodings to truncate and mutate, so the fuzzing reaches past the first checks.
    static func seeds() throws -> [[UInt8]] {
        let keys = Fixtures.suite17Keys
        let message = IPMIMessage.encodeRequest(GetChassisStatus.request(), sequence: 1)
        return [
            message,
            IPMIMessage.encodeResponse(IPMIResponse(netFn: 7, command: 1, data: [1, 2, 3]), sequence: 2),
            ASFPresencePing.encode(tag: 1),
            [UInt8](hex: "0600ff06 000011be 40 2a 00 10 000011be 00000000 81 00 000000000000"),
            IPMI15Packet.encode(message: message),
            try RMCPPlusPacket(payloadType: .ipmi, sessionID: 1, sequence: 2, payload: message).encode(keys: keys, iv: Fixtures.iv),
            try RMCPPlusPacket(payloadType: .ipmi, sessionID: 1, sequence: 2, payload: message)
                .encode(keys: Fixtures.suite3Keys, iv: Fixtures.iv),
            try RMCPPlusPacket(payloadType: .rakp2, payload: [1, 2, 3]).encode(keys: nil, iv: []),
            OpenSessionRequest(tag: 1, requestedPrivilege: .administrator, consoleSessionID: 3, suite: .suite3).encode(),
            OpenSessionResponse(tag: 1, maximumPrivilege: 4, consoleSessionID: 1, managedSystemSessionID: 2, suite: .suite17).encode(),
            RAKPMessage1(tag: 1, managedSystemSessionID: 2, consoleRandom: Array(0..<16), role: 0x14, userName: [0x61]).encode(),
            RAKPMessage2(
                tag: 1, status: 0, consoleSessionID: 1, managedSystemRandom: Array(0..<16), managedSystemGUID: Array(0..<16),
                keyExchangeAuthCode: Array(0..<20)
            ).encode(),
            BootFlags(device: .pxe).encode(),
            [UInt8](hex: "c00101 40 80 c01103 44 81 c1 30 a2 02 00 01 41 81"),
        ]
    }

    static func exerciseEveryDecoder(_ bytes: [UInt8]) {
        _ = try? IPMIMessage.decodeResponse(bytes)
        _ = try? IPMIMessage.decodeRequest(bytes)
        _ = try? ASFPresencePing.decodePong(bytes)
        _ = try? IPMI15Packet.decode(bytes)
        _ = try? IPMIDatagram.kind(of: bytes)
        _ = try? RMCPPlusPacket.decode(bytes, keys: nil)
        _ = try? RMCPPlusPacket.decode(bytes, keys: Fixtures.suite3Keys)
        _ = try? RMCPPlusPacket.decode(bytes, keys: Fixtures.suite17Keys)
        _ = try? RMCPPlusCrypto.decryptAESCBC128(bytes, k2: Fixtures.suite3Keys.confidentialityKey)
        _ = try? OpenSessionRequest.decode(bytes)
        _ = try? OpenSessionResponse.decode(bytes)
        _ = try? RAKPMessage1.decode(bytes)
        _ = try? RAKPMessage2.decode(bytes)
        _ = try? RAKPMessage3.decode(bytes)
        _ = try? RAKPMessage4.decode(bytes)
        _ = try? BootFlags.decode(bytes)
        _ = GetChannelCipherSuites.suiteIDs(fromRecords: bytes)
        for completionCode: UInt8 in [0x00, bytes.first ?? 0xC1] {
            let response = IPMIResponse(netFn: 0x07, command: 0, completionCode: completionCode, data: bytes)
            _ = try? GetChannelAuthenticationCapabilities.parse(response)
            _ = try? GetChannelCipherSuites.parse(response)
            _ = try? SetSessionPrivilegeLevel.parse(response)
            _ = try? CloseSession.parse(response)
            _ = try? GetDeviceID.parse(response)
            _ = try? GetChassisStatus.parse(response)
            _ = try? ChassisControl.parse(response)
            _ = try? SetSystemBootOptions.parse(response)
            _ = try? GetSystemBootOptions.parse(response)
            _ = try? GetSystemBootOptions.parseBootFlags(response)
            _ = try? GetLANConfigurationParameters.parse(response)
            _ = try? GetLANConfigurationParameters.ipAddress(from: response)
            _ = try? GetLANConfigurationParameters.primaryRMCPPort(from: response)
            _ = try? GetUserAccess.parse(response)
            _ = try? GetUserName.parse(response)
            _ = try? SetUserName.parse(response)
            _ = try? SetUserPassword.parse(response)
            _ = try? SetUserAccess.parse(response)
        }
    }

    @Test("5000 random byte arrays, some with a real RMCP header")
    func randomBytes() {
        var generator = SeededGenerator(seed: 0xA5A5)
        for round in 0..<5000 {
            var bytes = generator.bytes(Int.random(in: 0...96, using: &generator))
            if round % 3 == 0 { bytes = RMCPHeader.ipmi + [0x06] + bytes }
            if round % 3 == 1 { bytes = RMCPHeader.ipmi + bytes }
            Self.exerciseEveryDecoder(bytes)
        }
    }

    @Test("every truncation and 2000 mutations of valid encodings")
    func truncationsAndMutations() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        for seed in try Self.seeds() {
            for length in 0...seed.count { Self.exerciseEveryDecoder(Array(seed.prefix(length))) }
            for _ in 0..<150 {
                var mutated = seed
                for _ in 0..<Int.random(in: 1...3, using: &generator) where !mutated.isEmpty {
                    mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                if Bool.random(using: &generator) { mutated += generator.bytes(Int.random(in: 0...8, using: &generator)) }
                Self.exerciseEveryDecoder(mutated)
            }
        }
    }

    @Test("hostile lengths: payload length 0xFFFF, name length 0xFF, ASF length 0xFF")
    func hostileLengths() {
        #expect(throws: IPMIDecodeError.self) {
            try RMCPPlusPacket.decode([UInt8](hex: "0600ff07 06 00 00000000 00000000 ffff 00"), keys: nil)
        }
        #expect(throws: IPMIDecodeError.self) { try RAKPMessage1.decode([UInt8](repeating: 0xFF, count: 28)) }
        #expect(throws: IPMIDecodeError.self) {
            try ASFPresencePing.decodePong([UInt8](hex: "0600ff06 000011be 40 2a 00 ff 000011be"))
        }
        #expect(throws: IPMIDecodeError.self) { try IPMI15Packet.decode([UInt8](hex: "0600ff07 00 00000000 00000000 ff 20")) }
    }
}
