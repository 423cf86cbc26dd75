/// The parameters a read transfer runs with once options are negotiated.
public struct TFTPTransferSettings: Sendable, Equatable {
    /// DATA payload size (RFC 2348); 512 without the option (RFC 1350).
    public var blockSize: Int
    /// Blocks sent before waiting for an ACK (RFC 7440); 1 is lockstep.
    public var windowSize: Int
    /// The retransmission timeout the client asked for (RFC 2349), or nil for the server default.
    public var timeoutSeconds: Int?

    public static let rfc1350Defaults = TFTPTransferSettings(blockSize: 512, windowSize: 1, timeoutSeconds: nil)

    public init(blockSize: Int = 512, windowSize: Int = 1, timeoutSeconds: Int? = nil) {
        self.blockSize = blockSize
        self.windowSize = windowSize
        self.timeoutSeconds = timeoutSeconds
    }
}
