/// ASF Presence Ping and Pong over RMCP, to find out whether a host answers and speaks IPMI (IPMI v2.0 spec §13.2.3; DMTF ASF 2.0 §3.2.4).
///
/// Ping: RMCP (class ASF) ‖ IANA 4542 ‖ type 0x80 ‖ tag ‖ 0x00 ‖ data length 0.
/// Pong: … type 0x40 ‖ tag ‖ 0x00 ‖ length 16 ‖ IANA ‖ OEM (4) ‖ supported entities (bit 7 = IPMI) ‖ interactions ‖ 6 reserved.
public enum ASFPresencePing {
    static let asfIANA: [UInt8] = [0x00, 0x00, 0x11, 0xBE]
    static let pingType: UInt8 = 0x80
    static let pongType: UInt8 = 0x40

    public static func encode(tag: UInt8) -> [UInt8] {
        RMCPHeader.asf + asfIANA + [pingType, tag, 0x00, 0x00]
    }

    public static func decodePong(_ datagram: [UInt8]) throws(IPMIDecodeError) -> (tag: UInt8, supportsIPMI: Bool) {
        try RMCPHeader.validate(datagram, expectedClass: RMCPHeader.classASF, what: "ASF presence pong")
        var reader = ByteReader(datagram, context: "ASF presence pong", offset: RMCPHeader.length)
        let iana = try reader.readBytes(4)
        guard iana == asfIANA else { throw .invalidField("ASF IANA enterprise number \(iana)") }
        let type = try reader.readByte()
        guard type == pongType else { throw .invalidField("ASF message type \(hexByte(type)), expected pong 0x40") }
        let tag = try reader.readByte()
        try reader.skip(1)
        let dataLength = Int(try reader.readByte())
        // The supported-entities byte is the 9th data byte; anything shorter cannot answer the question.
        guard dataLength >= 9 else { throw .invalidField("ASF pong data length \(dataLength), needs at least 9") }
        try reader.require(dataLength)
        try reader.skip(8)
        let supportedEntities = try reader.readByte()
        return (tag, supportedEntities & 0x80 != 0)
    }
}
