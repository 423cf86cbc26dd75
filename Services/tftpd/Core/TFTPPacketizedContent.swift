import AnvilTFTP
import NIOCore

/// Every DATA datagram of some content at one block size, built once and laid back to back
/// (header, payload, header, payload…). A block, or a whole window, is then a slice of shared
/// memory: nothing is copied or allocated per datagram, and a window is already the contiguous
/// run of equal segments a UDP GSO write wants.
struct TFTPPacketizedContent: Sendable {
    let blockSize: Int
    private let packets: ByteBuffer

    /// Content larger than this is not packetized (it would mean one more big copy in memory).
    static let maximumBytes = 160 << 20

    /// Bytes the packets take for `size` bytes of content.
    static func packetizedBytes(size: Int, blockSize: Int) -> Int { (size / blockSize + 1) * 4 + size }

    init(content: [UInt8], blockSize: Int, allocator: ByteBufferAllocator) {
        self.blockSize = blockSize
        var buffer = allocator.buffer(capacity: Self.packetizedBytes(size: content.count, blockSize: blockSize))
        content.withUnsafeBytes { bytes in
            var index = 1
            var offset = 0
            while true {
                let length = min(blockSize, bytes.count - offset)
                buffer.writeTFTPDataHeader(TFTPBlock(index: index, offset: offset, length: length))
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
                if length < blockSize { break }  // the final block: short, possibly empty
                index += 1
                offset += length
            }
        }
        self.packets = buffer
    }

    /// Bytes from one packet to the next: every block but the final one is this long.
    var stride: Int { 4 + blockSize }

    /// The datagrams of `blocks` (1-based indices), back to back.
    func datagrams(_ blocks: ClosedRange<Int>) -> ByteBuffer {
        let start = (blocks.lowerBound - 1) * stride
        let end = min(blocks.upperBound * stride, packets.readableBytes)
        return packets.getSlice(at: packets.readerIndex + start, length: end - start)!
    }

    var memoryBytes: Int { packets.capacity }
}

extension ByteBuffer {
    /// Opcode 3 and the block's number on the wire: what precedes a DATA payload.
    mutating func writeTFTPDataHeader(_ block: TFTPBlock) {
        writeInteger(TFTPOpcode.data.rawValue)
        writeInteger(block.wireNumber)
    }
}
