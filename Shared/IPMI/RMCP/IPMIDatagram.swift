/// What a received UDP 623 datagram is, from its RMCP class and AuthType byte (IPMI v2.0 spec §13.1.3, §13.6).
public enum IPMIDatagramKind: Sendable, Hashable {
    /// ASF (presence pong).
    case asf
    /// IPMI v1.5 session wrapper (session-less replies before RMCP+).
    case ipmi15
    /// IPMI v2.0 RMCP+ (AuthType 0x06).
    case rmcpPlus
}

/// Classifies received datagrams so the client can route them to the right decoder.
public enum IPMIDatagram {
    public static func kind(of datagram: [UInt8]) throws(IPMIDecodeError) -> IPMIDatagramKind {
        guard datagram.count > RMCPHeader.length else {
            throw .truncated(what: "RMCP datagram", needed: RMCPHeader.length + 1, available: datagram.count)
        }
        guard datagram[0] == RMCPHeader.version else {
            throw .notRMCP("version \(hexByte(datagram[0])), expected 0x06")
        }
        switch datagram[3] {
        case RMCPHeader.classASF:
            return .asf
        case RMCPHeader.classIPMI:
            return datagram[4] & 0x0F == RMCPPlusPacket.authTypeRMCPPlus ? .rmcpPlus : .ipmi15
        default:
            // Includes RMCP ACKs (bit 7 set), which carry no payload.
            throw .notRMCP("message class \(hexByte(datagram[3]))")
        }
    }
}
