/// Integrity algorithm numbers for the session trailer's AuthCode (IPMI v2.0 spec §13.28.4, table 13-18).
public enum IPMIIntegrityAlgorithm: UInt8, Sendable, Hashable {
    case none = 0
    case hmacSHA1_96 = 1
    case hmacMD5_128 = 2
    case md5_128 = 3
    case hmacSHA256_128 = 4

    /// AuthCode length in bytes: the HMAC truncated to 96 or 128 bits.
    var authCodeLength: Int {
        switch self {
        case .none: return 0
        case .hmacSHA1_96: return 12
        case .hmacMD5_128, .md5_128, .hmacSHA256_128: return 16
        }
    }
}
