/// Why bytes could not be decoded (or a packet could not be built); IPMI v2.0 spec §13 framing rules.
public enum IPMIDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `what` needed `needed` bytes but only `available` were left.
    case truncated(what: String, needed: Int, available: Int)
    /// The RMCP+ session header announces more payload than the datagram holds.
    case payloadLengthExceedsDatagram(declared: Int, available: Int)
    /// A two's-complement checksum of the inner IPMI message did not add up to zero.
    case badChecksum(which: String)
    /// The AuthCode did not match: wrong keys, or the packet was altered.
    case integrityCheckFailed
    /// The packet is authenticated or encrypted but no session keys were given.
    case missingSessionKeys(String)
    /// The integrity pad or the AES-CBC confidentiality pad is not what the spec prescribes.
    case badPadding(String)
    /// The first bytes are not an RMCP header of the expected class.
    case notRMCP(String)
    /// A field holds a value this codec does not accept.
    case invalidField(String)
    /// An argument to an encoder was out of range (IV length, payload size…).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .truncated(what, needed, available):
            return "\(what) truncated: needs \(needed) bytes, has \(available)"
        case let .payloadLengthExceedsDatagram(declared, available):
            return "RMCP+ packet truncated: payload length \(declared) but \(available) bytes left"
        case let .badChecksum(which):
            return "bad checksum (\(which))"
        case .integrityCheckFailed:
            return "integrity check failed"
        case let .missingSessionKeys(detail):
            return "no session keys: \(detail)"
        case let .badPadding(detail):
            return "bad padding: \(detail)"
        case let .notRMCP(detail):
            return "not an RMCP datagram: \(detail)"
        case let .invalidField(detail):
            return "invalid field: \(detail)"
        case let .invalidArgument(detail):
            return "invalid argument: \(detail)"
        }
    }
}
