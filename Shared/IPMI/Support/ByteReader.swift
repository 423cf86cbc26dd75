/// A bounds-checked cursor over received bytes; every read throws instead of trapping.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    /// Names the structure being read, for error messages.
    let context: String

    init(_ bytes: [UInt8], context: String, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        self.context = context
    }

    var remaining: Int { bytes.count - offset }

    mutating func require(_ count: Int) throws(IPMIDecodeError) {
        if count > remaining {
            throw .truncated(what: context, needed: offset + count, available: bytes.count)
        }
    }

    mutating func readByte() throws(IPMIDecodeError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readBytes(_ count: Int) throws(IPMIDecodeError) -> [UInt8] {
        try require(count)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func skip(_ count: Int) throws(IPMIDecodeError) {
        try require(count)
        offset += count
    }

    mutating func readUInt16LE() throws(IPMIDecodeError) -> UInt16 {
        let b = try readBytes(2)
        return UInt16(b[0]) | UInt16(b[1]) << 8
    }

    mutating func readUInt32LE() throws(IPMIDecodeError) -> UInt32 {
        let b = try readBytes(4)
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    /// Everything not yet read.
    mutating func readRest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}
