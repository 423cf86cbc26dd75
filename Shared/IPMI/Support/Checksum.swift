/// The 8-bit two's-complement checksum of IPMB-style messages (IPMI v2.0 spec §13.8): the bytes plus it sum to zero.
enum TwosComplementChecksum {
    static func of<Bytes: Sequence>(_ bytes: Bytes) -> UInt8 where Bytes.Element == UInt8 {
        var sum: UInt8 = 0
        for byte in bytes { sum &+= byte }
        return 0 &- sum
    }

    /// True when the bytes, including their trailing checksum, sum to zero.
    static func isValid<Bytes: Sequence>(_ bytesWithChecksum: Bytes) -> Bool where Bytes.Element == UInt8 {
        var sum: UInt8 = 0
        for byte in bytesWithChecksum { sum &+= byte }
        return sum == 0
    }
}
