import NIOCore

/// Builds outbound frames in place: the 4-byte length is reserved first and filled in once the
/// JSON is written, so no encoder has to copy each payload into a second buffer.
enum BusFraming {
    static let headerSize = 4

    /// A buffer holding the placeholder length prefix, ready for the JSON.
    static func start(_ allocator: ByteBufferAllocator = ByteBufferAllocator(), capacity: Int = 128) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: capacity)
        buffer.writeInteger(UInt32(0))
        return buffer
    }

    /// Bytes of JSON after the prefix.
    static func payloadSize(_ frame: ByteBuffer) -> Int {
        frame.readableBytes - headerSize
    }

    /// Fills in the length prefix.
    static func finish(_ frame: inout ByteBuffer) {
        frame.setInteger(UInt32(truncatingIfNeeded: payloadSize(frame)), at: frame.readerIndex)
    }
}
