/// Reads big-endian integers and NUL-terminated strings off a datagram.
struct TFTPByteReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }
    var remainingCount: Int { bytes.count }

    mutating func readUInt16() throws(TFTPDecodeError) -> UInt16 {
        guard bytes.count >= 2 else { throw .truncated }
        let value = UInt16(bytes[bytes.startIndex]) << 8 | UInt16(bytes[bytes.startIndex + 1])
        bytes = bytes.dropFirst(2)
        return value
    }

    /// The bytes up to the next NUL, which is consumed.
    mutating func readNULTerminatedBytes() throws(TFTPDecodeError) -> ArraySlice<UInt8> {
        guard let nul = bytes.firstIndex(of: 0) else { throw .missingTerminator }
        let field = bytes[bytes.startIndex..<nul]
        bytes = bytes[(nul + 1)...]
        return field
    }

    mutating func readRemainingBytes() -> ArraySlice<UInt8> {
        defer { bytes = bytes[bytes.endIndex...] }
        return bytes
    }
}

extension String {
    /// Decodes strict UTF-8, or nil when the bytes are not valid UTF-8.
    init?(strictUTF8 bytes: ArraySlice<UInt8>) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self.init(scalars)
    }
}

extension Array where Element == UInt8 {
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendNULTerminated(_ text: String) {
        append(contentsOf: text.utf8)
        append(0)
    }
}
