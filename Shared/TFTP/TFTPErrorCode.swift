/// Error codes carried by an ERROR packet (RFC 1350 appendix "Error Codes", RFC 2347 for 8).
public enum TFTPErrorCode: UInt16, Sendable, CaseIterable {
    case notDefined = 0
    case fileNotFound = 1
    case accessViolation = 2
    case diskFull = 3
    case illegalOperation = 4
    case unknownTransferID = 5
    case fileAlreadyExists = 6
    case noSuchUser = 7
    /// The transfer should be terminated because option negotiation failed (RFC 2347).
    case optionNegotiationFailed = 8

    /// Maps a wire value to a code; values outside 0–8 become ``notDefined`` (the message still tells).
    public init(wireValue: UInt16) {
        self = TFTPErrorCode(rawValue: wireValue) ?? .notDefined
    }
}
