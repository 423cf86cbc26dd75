/// RMCP+ and RAKP message status codes, as found in Open Session Response and RAKP 2–4 (IPMI v2.0 spec §13.24, table 13-15).
public enum RMCPPlusStatusCode {
    public static let noErrors: UInt8 = 0x00
    public static let invalidRole: UInt8 = 0x09
    public static let unauthorizedName: UInt8 = 0x0D
    public static let invalidIntegrityCheckValue: UInt8 = 0x0F

    public static func describe(_ code: UInt8) -> String {
        switch code {
        case 0x00: return "no errors"
        case 0x01: return "insufficient resources to create a session"
        case 0x02: return "invalid session ID"
        case 0x03: return "invalid payload type"
        case 0x04: return "invalid authentication algorithm"
        case 0x05: return "invalid integrity algorithm"
        case 0x06: return "no matching authentication payload"
        case 0x07: return "no matching integrity payload"
        case 0x08: return "inactive session ID"
        case 0x09: return "invalid role"
        case 0x0A: return "unauthorized role or privilege level requested"
        case 0x0B: return "insufficient resources to create a session at the requested role"
        case 0x0C: return "invalid name length"
        case 0x0D: return "unauthorized name"
        case 0x0E: return "unauthorized GUID"
        case 0x0F: return "invalid integrity check value"
        case 0x10: return "invalid confidentiality algorithm"
        case 0x11: return "no cipher suite match with proposed security algorithms"
        case 0x12: return "illegal or unrecognized parameter"
        default: return "reserved status code \(hexByte(code))"
        }
    }
}
