/// RAKP Message 3, payload type 0x14: our proof of the user key, or an error status for the BMC (IPMI v2.0 spec §13.22, table 13-13).
///
/// tag ‖ status ‖ 2 reserved ‖ managed system session ID (LE) ‖ key exchange AuthCode (20 or 32, absent on error).
public struct RAKPMessage3: Sendable, Hashable {
    public var tag: UInt8
    public var status: UInt8
    public var managedSystemSessionID: UInt32
    /// HMAC_KUID(Rc ‖ SIDm ‖ role ‖ ULen ‖ UName).
    public var keyExchangeAuthCode: [UInt8]

    public init(tag: UInt8, status: UInt8, managedSystemSessionID: UInt32, keyExchangeAuthCode: [UInt8]) {
        self.tag = tag
        self.status = status
        self.managedSystemSessionID = managedSystemSessionID
        self.keyExchangeAuthCode = keyExchangeAuthCode
    }

    public func encode() -> [UInt8] {
        var bytes: [UInt8] = [tag, status, 0x00, 0x00]
        bytes.appendLittleEndian(managedSystemSessionID)
        return bytes + keyExchangeAuthCode
    }

    public static func decode(_ bytes: [UInt8]) throws(IPMIDecodeError) -> RAKPMessage3 {
        var reader = ByteReader(bytes, context: "RAKP Message 3", offset: 0)
        let tag = try reader.readByte()
        let status = try reader.readByte()
        try reader.skip(2)
        let managedSystemSessionID = try reader.readUInt32LE()
        return RAKPMessage3(
            tag: tag, status: status, managedSystemSessionID: managedSystemSessionID,
            keyExchangeAuthCode: reader.readRest())
    }
}
