/// The integrity check an `.xz` stream declares in its header. The kernel's initramfs decompressor
/// (xz_dec) accepts CRC32 or none; xz's default CRC64 makes the kernel reject the initramfs.
public enum XZCheck: UInt8, Sendable {
    case none = 0x00
    case crc32 = 0x01
    case crc64 = 0x04
    case sha256 = 0x0A
}

/// Reads the stream header: magic `FD 37 7A 58 5A 00`, then flags `00 <check>`.
public enum XZStreamHeader {
    static let magic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]

    /// The check type of the first stream, nil when the bytes do not start with an xz header.
    public static func check<Bytes: Collection<UInt8>>(of bytes: Bytes) -> XZCheck? {
        let header = Array(bytes.prefix(8))
        guard header.count == 8, Array(header[0..<6]) == magic, header[6] == 0 else { return nil }
        return XZCheck(rawValue: header[7] & 0x0F)
    }
}
