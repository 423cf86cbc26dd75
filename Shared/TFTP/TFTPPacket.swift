/// A TFTP packet (RFC 1350 §5, RFC 2347 for OACK). `encode()` and `decode(_:)` are symmetric:
/// decoding what `encode()` produced gives the same packet back.
public enum TFTPPacket: Sendable, Equatable {
    /// RRQ, opcode 1.
    case readRequest(TFTPRequest)
    /// WRQ, opcode 2.
    case writeRequest(TFTPRequest)
    /// DATA, opcode 3: block numbers start at 1 and wrap to 0 after 65535.
    case data(block: UInt16, payload: [UInt8])
    /// ACK, opcode 4: block 0 acknowledges an OACK (RFC 2347).
    case acknowledgement(block: UInt16)
    /// ERROR, opcode 5.
    case error(TFTPErrorCode, message: String)
    /// OACK, opcode 6 (RFC 2347).
    case optionAcknowledgement([TFTPOption])

    public var opcode: TFTPOpcode {
        switch self {
        case .readRequest: .readRequest
        case .writeRequest: .writeRequest
        case .data: .data
        case .acknowledgement: .acknowledgement
        case .error: .error
        case .optionAcknowledgement: .optionAcknowledgement
        }
    }

    /// The datagram for this packet.
    public func encode() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendUInt16(opcode.rawValue)
        switch self {
        case .readRequest(let request), .writeRequest(let request):
            request.encodeBody(into: &bytes)
        case .data(let block, let payload):
            bytes.reserveCapacity(4 + payload.count)
            bytes.appendUInt16(block)
            bytes.append(contentsOf: payload)
        case .acknowledgement(let block):
            bytes.appendUInt16(block)
        case .error(let code, let message):
            Self.encodeErrorBody(code: code, message: message, into: &bytes)
        case .optionAcknowledgement(let options):
            TFTPOptionList.encode(options, into: &bytes)
        }
        return bytes
    }

    /// Parses one datagram.
    public static func decode(_ bytes: [UInt8]) throws(TFTPDecodeError) -> TFTPPacket {
        try decode(bytes[...])
    }

    /// Parses one datagram held in a slice.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(TFTPDecodeError) -> TFTPPacket {
        var reader = TFTPByteReader(bytes)
        let rawOpcode = try reader.readUInt16()
        guard let opcode = TFTPOpcode(rawValue: rawOpcode) else { throw .unknownOpcode(rawOpcode) }
        switch opcode {
        case .readRequest: return .readRequest(try TFTPRequest.decodeBody(&reader))
        case .writeRequest: return .writeRequest(try TFTPRequest.decodeBody(&reader))
        case .data: return try decodeDataBody(&reader)
        case .acknowledgement: return try decodeAcknowledgementBody(&reader)
        case .error: return try decodeErrorBody(&reader)
        case .optionAcknowledgement: return .optionAcknowledgement(try TFTPOptionList.decode(&reader))
        }
    }
}
