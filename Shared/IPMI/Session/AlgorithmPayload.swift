/// One 8-byte algorithm record of Open Session Request/Response: type, 2 reserved, length 0x08, algorithm, 3 reserved (IPMI v2.0 spec §13.17, table 13-9).
enum AlgorithmPayload {
    static let authenticationType: UInt8 = 0x00
    static let integrityType: UInt8 = 0x01
    static let confidentialityType: UInt8 = 0x02
    static let length = 8

    static func encode(type: UInt8, algorithm: UInt8) -> [UInt8] {
        [type, 0x00, 0x00, UInt8(length), algorithm, 0x00, 0x00, 0x00]
    }

    /// Reads one record and returns its algorithm number (bits 5:0).
    static func decode(_ reader: inout ByteReader, expectedType: UInt8) throws(IPMIDecodeError) -> UInt8 {
        let record = try reader.readBytes(length)
        guard record[0] == expectedType else {
            throw .invalidField("algorithm payload type \(hexByte(record[0])), expected \(hexByte(expectedType))")
        }
        return record[4] & 0x3F
    }
}
