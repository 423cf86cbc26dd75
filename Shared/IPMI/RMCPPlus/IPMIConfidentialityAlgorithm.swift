/// Confidentiality (payload encryption) algorithm numbers (IPMI v2.0 spec §13.28.5, table 13-19).
public enum IPMIConfidentialityAlgorithm: UInt8, Sendable, Hashable {
    case none = 0
    case aesCBC128 = 1
    case xRC4_128 = 2
    case xRC4_40 = 3
}
