/// The 4-byte RMCP header that starts every datagram on UDP 623 (IPMI v2.0 spec §13.1.3, table 13-1).
///
/// Version 0x06 (RMCP 1.0), reserved 0x00, sequence 0xFF (no RMCP ACK wanted), then the message class.
public enum RMCPHeader {
    /// Class 0x07: IPMI (v1.5 session wrapper or RMCP+).
    public static let ipmi: [UInt8] = [0x06, 0x00, 0xFF, 0x07]
    /// Class 0x06: ASF, used for presence ping/pong.
    public static let asf: [UInt8] = [0x06, 0x00, 0xFF, 0x06]

    static let version: UInt8 = 0x06
    static let classASF: UInt8 = 0x06
    static let classIPMI: UInt8 = 0x07
    static let length = 4

    /// Checks version and class; bit 7 of the class byte marks an RMCP ACK, which is never a payload.
    static func validate(_ datagram: [UInt8], expectedClass: UInt8, what: String) throws(IPMIDecodeError) {
        guard datagram.count >= length else {
            throw .truncated(what: what, needed: length, available: datagram.count)
        }
        guard datagram[0] == version else {
            throw .notRMCP("version \(hexByte(datagram[0])), expected 0x06")
        }
        guard datagram[3] == expectedClass else {
            throw .notRMCP("message class \(hexByte(datagram[3])), expected \(hexByte(expectedClass))")
        }
    }
}
