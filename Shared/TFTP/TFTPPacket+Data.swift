extension TFTPPacket {
    /// DATA body (RFC 1350 §5): `| block (2) | 0–blksize bytes |`.
    static func decodeDataBody(_ reader: inout TFTPByteReader) throws(TFTPDecodeError) -> TFTPPacket {
        let block = try reader.readUInt16()
        let payload = reader.readRemainingBytes()
        guard payload.count <= TFTPLimits.maximumBlockSize else { throw .dataTooLong(length: payload.count) }
        return .data(block: block, payload: Array(payload))
    }
}
