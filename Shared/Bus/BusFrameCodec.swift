import NIOCore

/// One inbound frame: a payload, or the announcement of one too large to accept.
public enum BusFrame: Sendable, Equatable {
    case payload(ByteBuffer)
    /// The peer declared a frame of `declaredLength` bytes, above the limit. Nothing after it
    /// can be trusted, so the decoder discards the rest of the stream.
    case oversize(declaredLength: Int)
}

/// Splits a byte stream into frames: a 4-byte big-endian length, then that many bytes of JSON.
public struct BusFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = BusFrame

    public let maxFrameSize: Int
    private var rejected = false

    public init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if rejected {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else {
            return .needMoreData
        }
        let declared = Int(length)
        if declared > maxFrameSize {
            rejected = true
            buffer.moveReaderIndex(to: buffer.writerIndex)
            context.fireChannelRead(wrapInboundOut(.oversize(declaredLength: declared)))
            return .needMoreData
        }
        guard buffer.readableBytes >= 4 + declared else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        let payload = buffer.readSlice(length: declared)!
        context.fireChannelRead(wrapInboundOut(.payload(payload)))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A truncated frame at end of stream is dropped: its sender is gone.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}

/// Prefixes each outbound payload with its 4-byte big-endian length.
public struct BusFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.reserveCapacity(4 + data.readableBytes)
        out.writeInteger(UInt32(truncatingIfNeeded: data.readableBytes))
        out.writeImmutableBuffer(data)
    }
}
