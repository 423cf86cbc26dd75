/// RAKP authentication algorithm numbers (IPMI v2.0 spec §13.28, table 13-17).
public enum IPMIAuthenticationAlgorithm: UInt8, Sendable, Hashable {
    case none = 0
    case rakpHMACSHA1 = 1
    case rakpHMACMD5 = 2
    case rakpHMACSHA256 = 3
}
