import AnvilTFTP
import NIOCore

/// Where a transfer's DATA datagrams come from.
enum TFTPDataSource: Sendable {
    /// Built once per file and block size, shared by every transfer of it (the usual case:
    /// boot files are small and held in memory).
    case packetized(TFTPPacketizedContent)
    /// Read block by block: files too large to hold in memory, or too large to packetize.
    case blocks(any TFTPBlockSource)

    /// The datagram of one block, for the block-by-block case.
    static func datagram(_ block: TFTPBlock, of source: any TFTPBlockSource, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 4 + block.length)
        buffer.writeTFTPDataHeader(block)
        if block.length > 0 { buffer.writeBytes(try source.bytes(at: block.offset, length: block.length)) }
        return buffer
    }
}
