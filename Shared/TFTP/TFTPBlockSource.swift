/// The content a read transfer serves: its size and the bytes at an offset. The server backs it
/// with memory or a file; the state machine asks only for the blocks it sends.
public protocol TFTPBlockSource: Sendable {
    /// Total size in bytes (after any netascii conversion).
    var size: Int { get }
    /// `length` bytes starting at `offset`; `offset + length <= size`, `length > 0`.
    func bytes(at offset: Int, length: Int) throws -> [UInt8]
}

/// Content held in memory.
public struct TFTPInMemorySource: TFTPBlockSource {
    public let content: [UInt8]

    public init(_ content: [UInt8]) { self.content = content }

    public var size: Int { content.count }

    public func bytes(at offset: Int, length: Int) -> [UInt8] {
        Array(content[offset..<(offset + length)])
    }
}
