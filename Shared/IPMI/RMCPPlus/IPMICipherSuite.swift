/// The cipher suites this module speaks: 3 and 17 (IPMI v2.0 spec §22.15.2, table 22-20). Suite 0 (no authentication) is never offered.
public struct IPMICipherSuite: Sendable, Hashable {
    public let id: UInt8
    public let authentication: IPMIAuthenticationAlgorithm
    public let integrity: IPMIIntegrityAlgorithm
    public let confidentiality: IPMIConfidentialityAlgorithm

    /// RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128.
    public static let suite3 = IPMICipherSuite(
        id: 3, authentication: .rakpHMACSHA1, integrity: .hmacSHA1_96, confidentiality: .aesCBC128)
    /// RAKP-HMAC-SHA256, HMAC-SHA256-128, AES-CBC-128.
    public static let suite17 = IPMICipherSuite(
        id: 17, authentication: .rakpHMACSHA256, integrity: .hmacSHA256_128, confidentiality: .aesCBC128)

    /// Suites 3 and 17 only; every other ID (0 above all) is nil.
    public static func supported(id: UInt8) -> IPMICipherSuite? {
        switch id {
        case 3: return .suite3
        case 17: return .suite17
        default: return nil
        }
    }

    /// The strongest suite the BMC offers that this module supports: 17, then 3, else nil.
    public static func preferred(from offered: [UInt8]) -> IPMICipherSuite? {
        if offered.contains(17) { return .suite17 }
        if offered.contains(3) { return .suite3 }
        return nil
    }

    /// The suite a BMC's Open Session Response settled on, if it is one of ours.
    public static func matching(
        authentication: UInt8, integrity: UInt8, confidentiality: UInt8
    ) -> IPMICipherSuite? {
        [IPMICipherSuite.suite17, .suite3].first {
            $0.authentication.rawValue == authentication && $0.integrity.rawValue == integrity
                && $0.confidentiality.rawValue == confidentiality
        }
    }
}
