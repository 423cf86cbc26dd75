/// What the server is willing to grant; a client asking more gets these values back in the OACK
/// (RFC 2348 and RFC 7440 let the server answer a smaller value).
public struct TFTPServerOptionLimits: Sendable, Equatable {
    /// Largest blksize granted, 8–65464; set it to the path MTU minus 32 (1468 on Ethernet).
    public var maximumBlockSize: Int
    /// Largest windowsize granted, 1–65535.
    public var maximumWindowSize: Int

    public init(maximumBlockSize: Int = 1468, maximumWindowSize: Int = 64) {
        self.maximumBlockSize = min(max(maximumBlockSize, 8), TFTPLimits.maximumBlockSize)
        self.maximumWindowSize = min(max(maximumWindowSize, 1), 65535)
    }
}
