/// Session-less IPMI v1.5 LAN framing with AuthType none, for commands sent before any session exists (IPMI v2.0 spec §13.6, table 13-8).
///
/// RMCP header ‖ AuthType 0x00 ‖ session sequence (4, zero) ‖ session ID (4, zero) ‖ message length (1) ‖ message.
public enum IPMI15Packet {
    static let authTypeNone: UInt8 = 0x00

    /// `message` is an inner IPMI message (`IPMIMessage.encodeRequest`), at most 255 bytes.
    public static func encode(message: [UInt8]) -> [UInt8] {
        var datagram = RMCPHeader.ipmi
        datagram.append(authTypeNone)
        datagram += [0, 0, 0, 0, 0, 0, 0, 0]
        datagram.append(UInt8(truncatingIfNeeded: message.count))
        datagram += message
        return datagram
    }

    /// Returns the inner message. A BMC may answer with an authenticating AuthType (MD2, MD5, password, OEM),
    /// in which case a 16-byte AuthCode precedes the length; it is skipped, not checked, as no session exists.
    public static func decode(_ datagram: [UInt8]) throws(IPMIDecodeError) -> [UInt8] {
        try RMCPHeader.validate(datagram, expectedClass: RMCPHeader.classIPMI, what: "IPMI v1.5 packet")
        var reader = ByteReader(datagram, context: "IPMI v1.5 packet", offset: RMCPHeader.length)
        let authType = try reader.readByte() & 0x0F
        switch authType {
        case 0x00:
            try reader.skip(8)
        case 0x01, 0x02, 0x04, 0x05:
            try reader.skip(8 + 16)
        case 0x06:
            throw .invalidField("AuthType 0x06 is RMCP+, not IPMI v1.5")
        default:
            throw .invalidField("IPMI v1.5 AuthType \(hexByte(authType))")
        }
        let length = Int(try reader.readByte())
        // Anything after the message (the legacy pad byte some senders add) is ignored.
        return try reader.readBytes(length)
    }
}
