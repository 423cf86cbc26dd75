/// Why bytes received on port 68 are not a DHCP message.
public enum DHCPDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the 236-byte header plus the 4-byte magic cookie.
    case truncatedHeader(length: Int)
    /// `op` is neither 1 (request) nor 2 (reply).
    case unknownOperation(UInt8)
    /// `hlen` is larger than the 16-byte `chaddr` field.
    case hardwareAddressTooLong(UInt8)
    /// The four bytes after the header are not 99.130.83.99.
    case badMagicCookie([UInt8])
    /// An option's code sits on the last byte, with no room for its length byte.
    case optionLengthMissing(code: UInt8, offset: Int)
    /// An option says it is longer than the bytes left in its area.
    case optionBeyondEnd(code: UInt8, offset: Int, length: Int, available: Int)
    /// Option 52 (overload) does not hold one byte of 1, 2 or 3.
    case badOptionOverload([UInt8])

    public var description: String {
        switch self {
        case .truncatedHeader(let length):
            "DHCP message too short: \(length) bytes, the header and magic cookie need 240"
        case .unknownOperation(let op):
            "DHCP message has unknown op \(op) (expected 1 or 2)"
        case .hardwareAddressTooLong(let length):
            "DHCP message hardware address length \(length) exceeds the 16-byte chaddr field"
        case .badMagicCookie(let bytes):
            "DHCP magic cookie at offset 236 is \(bytes.map(String.init).joined(separator: ".")), expected 99.130.83.99"
        case .optionLengthMissing(let code, let offset):
            "DHCP option \(code) at offset \(offset) has no length byte"
        case .optionBeyondEnd(let code, let offset, let length, let available):
            "DHCP option \(code) at offset \(offset) claims \(length) bytes but only \(available) remain"
        case .badOptionOverload(let data):
            "DHCP option 52 (overload) holds \(data), expected one byte of 1, 2 or 3"
        }
    }
}

/// Why an option's data does not fit its type (RFC 2132 / RFC 3442 formats).
public enum DHCPOptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The option's length is not one its format allows.
    case badLength(code: UInt8, length: Int, expected: String)
    /// The option's value is out of range (an unknown message type, an MTU below 68).
    case badValue(code: UInt8, reason: String)

    public var description: String {
        switch self {
        case .badLength(let code, let length, let expected):
            "DHCP option \(code) has length \(length), expected \(expected)"
        case .badValue(let code, let reason):
            "DHCP option \(code) is invalid: \(reason)"
        }
    }
}
