/// The two-byte opcode that starts every TFTP packet (RFC 1350 §5, RFC 2347 for OACK).
public enum TFTPOpcode: UInt16, Sendable, CaseIterable {
    case readRequest = 1
    case writeRequest = 2
    case data = 3
    case acknowledgement = 4
    case error = 5
    /// Option acknowledgement (RFC 2347).
    case optionAcknowledgement = 6
}
