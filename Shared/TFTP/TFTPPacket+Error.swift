extension TFTPPacket {
    /// Longest error message kept when decoding; longer ones are cut (CVE-2008-2161 class).
    static let maximumErrorMessageLength = 255

    /// ERROR body (RFC 1350 §5): `| code (2) | message | 0 |`.
    static func encodeErrorBody(code: TFTPErrorCode, message: String, into bytes: inout [UInt8]) {
        bytes.appendUInt16(code.rawValue)
        bytes.appendNULTerminated(message)
    }

    static func decodeErrorBody(_ reader: inout TFTPByteReader) throws(TFTPDecodeError) -> TFTPPacket {
        let code = TFTPErrorCode(wireValue: try reader.readUInt16())
        let messageBytes = try reader.readNULTerminatedBytes().prefix(maximumErrorMessageLength)
        return .error(code, message: String(decoding: messageBytes, as: UTF8.self))
    }
}
