/// An IPMI v2.0 RMCP+ datagram: session header, payload, and for authenticated packets the integrity trailer (IPMI v2.0 spec §13.6, table 13-8; §13.28–13.29).
///
///     RMCP header (4) ‖ AuthType 0x06 ‖ payload type (bit 7 encrypted, bit 6 authenticated)
///     ‖ session ID (4, LE) ‖ session sequence (4, LE) ‖ payload length (2, LE) ‖ payload
///     [‖ 0xFF pad ‖ pad length ‖ next header 0x07 ‖ AuthCode]
///
/// OEM payloads (type 0x02, which add IANA and payload ID fields) are not supported.
public struct RMCPPlusPacket: Sendable, Hashable {
    public var payloadType: RMCPPayloadType
    /// The receiver's session ID (the BMC's on the way out, ours on the way back); 0 during session setup.
    public var sessionID: UInt32
    public var sequence: UInt32
    /// The clear-text payload (after decryption when decoding).
    public var payload: [UInt8]
    /// Set by `decode`; `encode` decides from the keys instead.
    public var encrypted: Bool
    /// Set by `decode`; `encode` decides from the keys instead.
    public var authenticated: Bool

    static let authTypeRMCPPlus: UInt8 = 0x06
    static let nextHeader: UInt8 = 0x07
    static let integrityPadByte: UInt8 = 0xFF
    /// AuthType, payload type, session ID, sequence, payload length.
    static let sessionHeaderLength = 12

    public init(payloadType: RMCPPayloadType, sessionID: UInt32 = 0, sequence: UInt32 = 0, payload: [UInt8]) {
        self.payloadType = payloadType
        self.sessionID = sessionID
        self.sequence = sequence
        self.payload = payload
        self.encrypted = false
        self.authenticated = false
    }

    /// Without keys: sent in the clear, unauthenticated (session setup). With keys: authenticated (integrity pad,
    /// pad length, next header 0x07, truncated HMAC-K1 AuthCode) and, when the suite has AES-CBC-128, encrypted
    /// with `iv` (16 bytes, random, supplied by the caller) and the spec padding 01 02 .. N, N.
    public func encode(keys: RMCPPlusSessionKeys?, iv: [UInt8] = []) throws(IPMIDecodeError) -> [UInt8] {
        let encrypt = keys?.suite.confidentiality == .aesCBC128
        let authenticate = keys.map { $0.suite.integrity != .none } ?? false
        var body = payload
        if let keys, encrypt {
            body = try RMCPPlusCrypto.encryptAESCBC128(payload, k2: keys.confidentialityKey, iv: iv)
        }
        guard body.count <= Int(UInt16.max) else {
            throw .invalidArgument("RMCP+ payload of \(body.count) bytes exceeds 65535")
        }
        var typeByte = payloadType.rawValue
        if encrypt { typeByte |= 0x80 }
        if authenticate { typeByte |= 0x40 }

        var covered: [UInt8] = [Self.authTypeRMCPPlus, typeByte]
        covered.appendLittleEndian(sessionID)
        covered.appendLittleEndian(sequence)
        covered.appendLittleEndian(UInt16(body.count))
        covered += body
        guard let keys, authenticate else { return RMCPHeader.ipmi + covered }

        // The AuthCode covers AuthType through next header; the pad makes that span a multiple of 4.
        let padLength = (4 - (covered.count + 2) % 4) % 4
        covered += [UInt8](repeating: Self.integrityPadByte, count: padLength)
        covered += [UInt8(padLength), Self.nextHeader]
        let authCode = try RMCPPlusCrypto.authCode(keys.suite.integrity, key: keys.integrityKey, data: covered)
        return RMCPHeader.ipmi + covered + authCode
    }

    /// Verifies the AuthCode (constant-time compare) and decrypts when the packet says so; a packet marked
    /// authenticated/encrypted without keys, or with a bad AuthCode/padding, throws.
    ///
    /// With keys, an unauthenticated packet still decodes (with `authenticated == false`): inside an
    /// established session the caller must refuse it.
    public static func decode(_ datagram: [UInt8], keys: RMCPPlusSessionKeys?) throws(IPMIDecodeError) -> RMCPPlusPacket {
        try RMCPHeader.validate(datagram, expectedClass: RMCPHeader.classIPMI, what: "RMCP+ packet")
        var reader = ByteReader(datagram, context: "RMCP+ session header", offset: RMCPHeader.length)
        let authType = try reader.readByte()
        guard authType & 0x0F == authTypeRMCPPlus else {
            throw .invalidField("AuthType \(hexByte(authType)) is not RMCP+ (0x06)")
        }
        let typeByte = try reader.readByte()
        let isEncrypted = typeByte & 0x80 != 0
        let isAuthenticated = typeByte & 0x40 != 0
        guard let payloadType = RMCPPayloadType(rawValue: typeByte & 0x3F) else {
            throw .invalidField("unsupported RMCP+ payload type \(hexByte(typeByte & 0x3F))")
        }
        let sessionID = try reader.readUInt32LE()
        let sequence = try reader.readUInt32LE()
        let payloadLength = Int(try reader.readUInt16LE())
        guard payloadLength <= reader.remaining else {
            throw .payloadLengthExceedsDatagram(declared: payloadLength, available: reader.remaining)
        }
        let payloadEnd = reader.offset + payloadLength
        var payload = try reader.readBytes(payloadLength)

        if isAuthenticated {
            guard let keys else { throw .missingSessionKeys("packet is authenticated") }
            try verifyTrailer(datagram, payloadEnd: payloadEnd, keys: keys)
        }
        if isEncrypted {
            guard let keys else { throw .missingSessionKeys("packet is encrypted") }
            guard keys.suite.confidentiality == .aesCBC128 else {
                throw .invalidField("packet is encrypted but the session has no confidentiality algorithm")
            }
            payload = try RMCPPlusCrypto.decryptAESCBC128(payload, k2: keys.confidentialityKey)
        }
        var packet = RMCPPlusPacket(payloadType: payloadType, sessionID: sessionID, sequence: sequence, payload: payload)
        packet.encrypted = isEncrypted
        packet.authenticated = isAuthenticated
        return packet
    }

    /// Checks pad, pad length, next header and the AuthCode, which must end the datagram exactly.
    private static func verifyTrailer(_ datagram: [UInt8], payloadEnd: Int, keys: RMCPPlusSessionKeys) throws(IPMIDecodeError) {
        let authCodeLength = keys.suite.integrity.authCodeLength
        let minimumEnd = payloadEnd + 2 + authCodeLength
        guard datagram.count >= minimumEnd else {
            throw .truncated(what: "RMCP+ session trailer", needed: minimumEnd, available: datagram.count)
        }
        let nextHeaderIndex = datagram.count - authCodeLength - 1
        let padLength = Int(datagram[nextHeaderIndex - 1])
        guard datagram[nextHeaderIndex] == nextHeader else {
            throw .invalidField("next header \(hexByte(datagram[nextHeaderIndex])), expected 0x07")
        }
        guard padLength <= 3, payloadEnd + padLength == nextHeaderIndex - 1 else {
            throw .badPadding("integrity pad length \(padLength) does not fit the packet")
        }
        let covered = Array(datagram[RMCPHeader.length..<(datagram.count - authCodeLength)])
        let expected = try RMCPPlusCrypto.authCode(keys.suite.integrity, key: keys.integrityKey, data: covered)
        guard ConstantTime.equal(expected, Array(datagram.suffix(authCodeLength))) else {
            throw .integrityCheckFailed
        }
        guard datagram[payloadEnd..<(payloadEnd + padLength)].allSatisfy({ $0 == integrityPadByte }) else {
            throw .badPadding("integrity pad bytes are not 0xFF")
        }
    }
}
