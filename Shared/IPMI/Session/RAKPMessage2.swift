/// RAKP Message 2, payload type 0x13: the BMC's random number Rc, its GUID and its proof of the user key (IPMI v2.0 spec §13.21, table 13-12).
///
/// tag ‖ status ‖ 2 reserved ‖ console session ID (LE) ‖ Rc (16) ‖ GUIDc (16) ‖ key exchange AuthCode (20 or 32).
/// On an error status BMCs may stop after the console session ID; the missing fields then decode empty.
public struct RAKPMessage2: Sendable, Hashable {
    public var tag: UInt8
    public var status: UInt8
    public var consoleSessionID: UInt32
    /// Rc: 16 bytes.
    public var managedSystemRandom: [UInt8]
    /// GUIDc: 16 bytes, as sent (no byte-order change).
    public var managedSystemGUID: [UInt8]
    /// HMAC_KUID(SIDm ‖ SIDc ‖ Rm ‖ Rc ‖ GUIDc ‖ role ‖ ULen ‖ UName); verify with `RAKPKeyExchange`.
    public var keyExchangeAuthCode: [UInt8]

    public init(
        tag: UInt8, status: UInt8, consoleSessionID: UInt32, managedSystemRandom: [UInt8], managedSystemGUID: [UInt8],
        keyExchangeAuthCode: [UInt8]
    ) {
        self.tag = tag
        self.status = status
        self.consoleSessionID = consoleSessionID
        self.managedSystemRandom = managedSystemRandom
        self.managedSystemGUID = managedSystemGUID
        self.keyExchangeAuthCode = keyExchangeAuthCode
    }

    /// Fields are written as given, so an error reply with empty Rc/GUID/AuthCode is the short 8-byte form.
    public func encode() -> [UInt8] {
        var bytes: [UInt8] = [tag, status, 0x00, 0x00]
        bytes.appendLittleEndian(consoleSessionID)
        return bytes + managedSystemRandom + managedSystemGUID + keyExchangeAuthCode
    }

    public static func decode(_ bytes: [UInt8]) throws(IPMIDecodeError) -> RAKPMessage2 {
        var reader = ByteReader(bytes, context: "RAKP Message 2", offset: 0)
        let tag = try reader.readByte()
        let status = try reader.readByte()
        try reader.skip(2)
        let consoleSessionID = try reader.readUInt32LE()
        var message = RAKPMessage2(
            tag: tag, status: status, consoleSessionID: consoleSessionID, managedSystemRandom: [],
            managedSystemGUID: [], keyExchangeAuthCode: [])
        if status != RMCPPlusStatusCode.noErrors, reader.remaining < 32 { return message }
        message.managedSystemRandom = try reader.readBytes(16)
        message.managedSystemGUID = try reader.readBytes(16)
        message.keyExchangeAuthCode = reader.readRest()
        return message
    }
}
