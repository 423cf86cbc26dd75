/// The keys of an established RMCP+ session: K1 for integrity AuthCodes, K2 for AES-CBC-128 (IPMI v2.0 spec §13.32).
public struct RMCPPlusSessionKeys: Sendable, Hashable {
    public let suite: IPMICipherSuite
    /// K1: the HMAC key for session trailer AuthCodes.
    public let integrityKey: [UInt8]
    /// K2: its first 16 bytes are the AES-128 key.
    public let confidentialityKey: [UInt8]

    public init(suite: IPMICipherSuite, integrityKey: [UInt8], confidentialityKey: [UInt8]) {
        self.suite = suite
        self.integrityKey = integrityKey
        self.confidentialityKey = confidentialityKey
    }
}
