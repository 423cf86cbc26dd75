/// RAKP Message 4, payload type 0x15: the BMC's integrity check value proving it derived the same SIK (IPMI v2.0 spec §13.23, table 13-14).
///
/// tag ‖ status ‖ 2 reserved ‖ console session ID (LE) ‖ ICV (12 for suite 3, 16 for suite 17; absent on error).
public struct RAKPMessage4: Sendable, Hashable {
    public var tag: UInt8
    public var status: UInt8
    public var consoleSessionID: UInt32
    /// HMAC_SIK(Rm ‖ SIDc ‖ GUIDc), truncated.
    public var integrityCheckValue: [UInt8]

    public init(tag: UInt8, status: UInt8, consoleSessionID: UInt32, integrityCheckValue: [UInt8]) {
        self.tag = tag
        self.status = status
        self.consoleSessionID = consoleSessionID
        self.integrityCheckValue = integrityCheckValue
    }

    public func encode() -> [UInt8] {
        var bytes: [UInt8] = [tag, status, 0x00, 0x00]
        bytes.appendLittleEndian(consoleSessionID)
        return bytes + integrityCheckValue
    }

    public static func decode(_ bytes: [UInt8]) throws(IPMIDecodeError) -> RAKPMessage4 {
        var reader = ByteReader(bytes, context: "RAKP Message 4", offset: 0)
        let tag = try reader.readByte()
        let status = try reader.readByte()
        try reader.skip(2)
        let consoleSessionID = try reader.readUInt32LE()
        return RAKPMessage4(
            tag: tag, status: status, consoleSessionID: consoleSessionID, integrityCheckValue: reader.readRest())
    }
}
