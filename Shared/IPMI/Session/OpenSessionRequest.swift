/// RMCP+ Open Session Request, payload type 0x10: proposes the cipher suite and our session ID (IPMI v2.0 spec §13.17, table 13-9).
///
/// tag ‖ requested maximum privilege (bits 3:0, 0 = highest available) ‖ 2 reserved ‖ console session ID (LE)
/// ‖ authentication, integrity and confidentiality algorithm records (8 bytes each). 32 bytes.
public struct OpenSessionRequest: Sendable, Hashable {
    public var tag: UInt8
    /// nil asks for the highest privilege the user may have.
    public var requestedPrivilege: IPMIPrivilege?
    /// SIDm: the ID the BMC must put in packets it sends us.
    public var consoleSessionID: UInt32
    public var suite: IPMICipherSuite

    public init(tag: UInt8, requestedPrivilege: IPMIPrivilege?, consoleSessionID: UInt32, suite: IPMICipherSuite) {
        self.tag = tag
        self.requestedPrivilege = requestedPrivilege
        self.consoleSessionID = consoleSessionID
        self.suite = suite
    }

    public func encode() -> [UInt8] {
        var bytes: [UInt8] = [tag, requestedPrivilege?.rawValue ?? 0, 0x00, 0x00]
        bytes.appendLittleEndian(consoleSessionID)
        bytes += AlgorithmPayload.encode(type: AlgorithmPayload.authenticationType, algorithm: suite.authentication.rawValue)
        bytes += AlgorithmPayload.encode(type: AlgorithmPayload.integrityType, algorithm: suite.integrity.rawValue)
        bytes += AlgorithmPayload.encode(type: AlgorithmPayload.confidentialityType, algorithm: suite.confidentiality.rawValue)
        return bytes
    }

    /// Only proposals of suite 3 or 17 decode; anything else throws.
    public static func decode(_ bytes: [UInt8]) throws(IPMIDecodeError) -> OpenSessionRequest {
        var reader = ByteReader(bytes, context: "Open Session Request", offset: 0)
        let tag = try reader.readByte()
        let privilegeNibble = try reader.readByte() & 0x0F
        var privilege: IPMIPrivilege?
        if privilegeNibble != 0 {
            guard let level = IPMIPrivilege(rawValue: privilegeNibble) else {
                throw .invalidField("requested privilege \(hexByte(privilegeNibble))")
            }
            privilege = level
        }
        try reader.skip(2)
        let consoleSessionID = try reader.readUInt32LE()
        let authentication = try AlgorithmPayload.decode(&reader, expectedType: AlgorithmPayload.authenticationType)
        let integrity = try AlgorithmPayload.decode(&reader, expectedType: AlgorithmPayload.integrityType)
        let confidentiality = try AlgorithmPayload.decode(&reader, expectedType: AlgorithmPayload.confidentialityType)
        guard
            let suite = IPMICipherSuite.matching(
                authentication: authentication, integrity: integrity, confidentiality: confidentiality)
        else {
            throw .invalidField("algorithms \(authentication)/\(integrity)/\(confidentiality) are not cipher suite 3 or 17")
        }
        return OpenSessionRequest(tag: tag, requestedPrivilege: privilege, consoleSessionID: consoleSessionID, suite: suite)
    }
}
