/// Get Channel Cipher Suites, App 0x06/0x54: the suites a channel offers, 16 record bytes per list index (IPMI v2.0 spec §22.15).
public enum GetChannelCipherSuites {
    public static let name = "Get Channel Cipher Suites"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x54
    /// A page shorter than this is the last one.
    public static let pageSize = 16
    /// List indexes are 6 bits.
    public static let maximumListIndex: UInt8 = 0x3F

    static let standardRecordStart: UInt8 = 0xC0
    static let oemRecordStart: UInt8 = 0xC1

    /// Payload type 0 (IPMI); bit 7 of the index byte lists algorithms by cipher suite.
    public static func request(channel: UInt8 = 0x0E, listIndex: UInt8) -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command, data: [channel & 0x0F, 0x00, 0x80 | (listIndex & maximumListIndex)])
    }

    /// The page's record bytes (after the channel number); fewer than 16 means no more pages.
    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> [UInt8] {
        let data = try response.successData(command: name, minimumCount: 1)
        guard data.count <= 1 + pageSize else {
            throw .malformed("\(name): page of \(data.count - 1) record bytes exceeds \(pageSize)")
        }
        return Array(data.dropFirst())
    }

    /// IDs of the standard suites in the concatenated pages, in order; OEM records are skipped.
    public static func suiteIDs(fromRecords records: [UInt8]) -> [UInt8] {
        cipherSuiteRecords(from: records).filter { $0.oemIANA == nil }.map(\.id)
    }

    /// Every record: `C0 id algorithms…` (standard) or `C1 id IANA(3) algorithms…` (OEM). Algorithm bytes are
    /// tagged in bits 7:6 (00 authentication, 01 integrity, 10 confidentiality), so start bytes (11) delimit
    /// records whatever number of algorithms each lists. A truncated trailing record is dropped.
    public static func cipherSuiteRecords(from records: [UInt8]) -> [CipherSuiteRecord] {
        var result: [CipherSuiteRecord] = []
        var index = 0
        while index < records.count {
            let start = records[index]
            guard start == standardRecordStart || start == oemRecordStart else {
                index += 1  // stray byte: resynchronise on the next start byte
                continue
            }
            let headerLength = start == oemRecordStart ? 5 : 2
            guard index + headerLength <= records.count else { break }
            var record = CipherSuiteRecord(id: records[index + 1])
            if start == oemRecordStart {
                record.oemIANA = UInt32(records[index + 2]) | UInt32(records[index + 3]) << 8 | UInt32(records[index + 4]) << 16
            }
            index += headerLength
            while index < records.count, records[index] & 0xC0 != 0xC0 {
                let algorithm = records[index] & 0x3F
                switch records[index] & 0xC0 {
                case 0x00: record.authenticationAlgorithms.append(algorithm)
                case 0x40: record.integrityAlgorithms.append(algorithm)
                default: record.confidentialityAlgorithms.append(algorithm)
                }
                index += 1
            }
            result.append(record)
        }
        return result
    }
}

/// One cipher suite record from Get Channel Cipher Suites (IPMI v2.0 spec §22.15.1, table 22-19).
public struct CipherSuiteRecord: Sendable, Hashable {
    public var id: UInt8
    /// Set for OEM records (start byte 0xC1).
    public var oemIANA: UInt32?
    public var authenticationAlgorithms: [UInt8] = []
    public var integrityAlgorithms: [UInt8] = []
    public var confidentialityAlgorithms: [UInt8] = []

    public init(
        id: UInt8, oemIANA: UInt32? = nil, authenticationAlgorithms: [UInt8] = [], integrityAlgorithms: [UInt8] = [],
        confidentialityAlgorithms: [UInt8] = []
    ) {
        self.id = id
        self.oemIANA = oemIANA
        self.authenticationAlgorithms = authenticationAlgorithms
        self.integrityAlgorithms = integrityAlgorithms
        self.confidentialityAlgorithms = confidentialityAlgorithms
    }
}
