/// RMCP+ Open Session Response, payload type 0x11: status, granted privilege and the BMC's session ID (IPMI v2.0 spec §13.18, table 13-10).
///
/// tag ‖ status ‖ maximum privilege ‖ reserved ‖ console session ID (LE) ‖ managed system session ID (LE)
/// ‖ the three algorithm records. 36 bytes; on an error status BMCs may stop after the console session ID.
public struct OpenSessionResponse: Sendable, Hashable {
    public var tag: UInt8
    /// An RMCP+ status code (`RMCPPlusStatusCode`); 0 = success.
    public var status: UInt8
    public var maximumPrivilege: UInt8
    public var consoleSessionID: UInt32
    /// SIDc: the ID we put in packets we send the BMC.
    public var managedSystemSessionID: UInt32
    public var authenticationAlgorithm: UInt8
    public var integrityAlgorithm: UInt8
    public var confidentialityAlgorithm: UInt8

    public init(
        tag: UInt8, status: UInt8, maximumPrivilege: UInt8, consoleSessionID: UInt32, managedSystemSessionID: UInt32,
        authenticationAlgorithm: UInt8, integrityAlgorithm: UInt8, confidentialityAlgorithm: UInt8
    ) {
        self.tag = tag
        self.status = status
        self.maximumPrivilege = maximumPrivilege
        self.consoleSessionID = consoleSessionID
        self.managedSystemSessionID = managedSystemSessionID
        self.authenticationAlgorithm = authenticationAlgorithm
        self.integrityAlgorithm = integrityAlgorithm
        self.confidentialityAlgorithm = confidentialityAlgorithm
    }

    /// The response a BMC gives when it accepts `suite`.
    public init(
        tag: UInt8, status: UInt8 = RMCPPlusStatusCode.noErrors, maximumPrivilege: UInt8, consoleSessionID: UInt32,
        managedSystemSessionID: UInt32, suite: IPMICipherSuite
    ) {
        self.init(
            tag: tag, status: status, maximumPrivilege: maximumPrivilege, consoleSessionID: consoleSessionID,
            managedSystemSessionID: managedSystemSessionID, authenticationAlgorithm: suite.authentication.rawValue,
            integrityAlgorithm: suite.integrity.rawValue, confidentialityAlgorithm: suite.confidentiality.rawValue)
    }

    /// The cipher suite the BMC settled on, when it is 3 or 17.
    public var suite: IPMICipherSuite? {
        IPMICipherSuite.matching(
            authentication: authenticationAlgorithm, integrity: integrityAlgorithm,
            confidentiality: confidentialityAlgorithm)
    }

    public func encode() -> [UInt8] {
        var bytes: [UInt8] = [tag, status, maximumPrivilege, 0x00]
        bytes.appendLittleEndian(consoleSessionID)
        bytes.appendLittleEndian(managedSystemSessionID)
        bytes += AlgorithmPayload.encode(type: AlgorithmPayload.authenticationType, algorithm: authenticationAlgorithm)
        bytes += AlgorithmPayload.encode(type: AlgorithmPayload.integrityType, algorithm: integrityAlgorithm)
        bytes += AlgorithmPayload.encode(type: AlgorithmPayload.confidentialityType, algorithm: confidentialityAlgorithm)
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(IPMIDecodeError) -> OpenSessionResponse {
        var reader = ByteReader(bytes, context: "Open Session Response", offset: 0)
        let tag = try reader.readByte()
        let status = try reader.readByte()
        let maximumPrivilege = try reader.readByte()
        try reader.skip(1)
        let consoleSessionID = try reader.readUInt32LE()
        var response = OpenSessionResponse(
            tag: tag, status: status, maximumPrivilege: maximumPrivilege, consoleSessionID: consoleSessionID,
            managedSystemSessionID: 0, authenticationAlgorithm: 0, integrityAlgorithm: 0, confidentialityAlgorithm: 0)
        // An error response may end here.
        if status != RMCPPlusStatusCode.noErrors, reader.remaining < 28 { return response }
        response.managedSystemSessionID = try reader.readUInt32LE()
        response.authenticationAlgorithm = try AlgorithmPayload.decode(&reader, expectedType: AlgorithmPayload.authenticationType)
        response.integrityAlgorithm = try AlgorithmPayload.decode(&reader, expectedType: AlgorithmPayload.integrityType)
        response.confidentialityAlgorithm = try AlgorithmPayload.decode(
            &reader, expectedType: AlgorithmPayload.confidentialityType)
        return response
    }
}
