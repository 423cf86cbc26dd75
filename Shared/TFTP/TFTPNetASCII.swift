/// Netascii conversion (RFC 1350 §5 and appendix, after RFC 764): on the wire every line ends
/// in CR LF and a bare CR is sent as CR NUL.
///
/// The server converts a whole file once with ``encode(_:)`` and serves the result (its size is
/// the tsize). Encoding maps each byte independently, so encoding chunk by chunk and
/// concatenating gives the same bytes; decoding carries a CR split across chunks in
/// ``Decoder``.
public enum TFTPNetASCII {
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A

    /// Local bytes → netascii: LF → CR LF, CR → CR NUL.
    public static func encode(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            switch byte {
            case lineFeed: output.append(carriageReturn); output.append(lineFeed)
            case carriageReturn: output.append(carriageReturn); output.append(0)
            default: output.append(byte)
            }
        }
        return output
    }

    /// Netascii → local bytes, chunk by chunk: CR LF → LF, CR NUL → CR. A CR that ends a chunk is
    /// held until the next one; a CR followed by anything else is kept as it is.
    public struct Decoder: Sendable {
        private var pendingCarriageReturn = false

        public init() {}

        public mutating func decode(_ chunk: some Sequence<UInt8>) -> [UInt8] {
            var output: [UInt8] = []
            output.reserveCapacity(chunk.underestimatedCount)
            for byte in chunk {
                if pendingCarriageReturn {
                    pendingCarriageReturn = false
                    switch byte {
                    case lineFeed: output.append(lineFeed); continue
                    case 0: output.append(carriageReturn); continue
                    default: output.append(carriageReturn)
                    }
                }
                if byte == carriageReturn { pendingCarriageReturn = true } else { output.append(byte) }
            }
            return output
        }

        /// Ends the stream: a trailing lone CR is returned as is.
        public mutating func finish() -> [UInt8] {
            defer { pendingCarriageReturn = false }
            return pendingCarriageReturn ? [carriageReturn] : []
        }
    }
}
