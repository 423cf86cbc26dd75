/// RMCP+ payload types carried in the session header's low six bits (IPMI v2.0 spec §13.27.3, table 13-16).
public enum RMCPPayloadType: UInt8, Sendable, Hashable, CaseIterable {
    case ipmi = 0x00
    case sol = 0x01
    case openSessionRequest = 0x10
    case openSessionResponse = 0x11
    case rakp1 = 0x12
    case rakp2 = 0x13
    case rakp3 = 0x14
    case rakp4 = 0x15
}
