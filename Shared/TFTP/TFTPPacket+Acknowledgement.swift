extension TFTPPacket {
    /// ACK body (RFC 1350 §5): `| block (2) |`. Trailing bytes, which some firmware pads with,
    /// are ignored.
    static func decodeAcknowledgementBody(_ reader: inout TFTPByteReader) throws(TFTPDecodeError) -> TFTPPacket {
        .acknowledgement(block: try reader.readUInt16())
    }
}
