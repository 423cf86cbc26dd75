/// One option as it appears in a message: its code and its raw data (pad and end are not kept).
public struct DHCPOption: Hashable, Sendable {
    public var code: UInt8
    public var data: [UInt8]

    public init(_ code: UInt8, _ data: [UInt8]) {
        self.code = code
        self.data = data
    }

    /// An option holding one address or a list of them.
    public init(_ code: UInt8, addresses: [IPv4Address]) {
        self.init(code, addresses.flatMap(\.octets))
    }
}

/// The option codes the agent uses (RFC 2132, RFC 3442).
public enum DHCPOptionCode {
    public static let pad: UInt8 = 0
    public static let subnetMask: UInt8 = 1
    public static let router: UInt8 = 3
    public static let domainNameServer: UInt8 = 6
    public static let hostName: UInt8 = 12
    public static let domainName: UInt8 = 15
    public static let interfaceMTU: UInt8 = 26
    public static let broadcastAddress: UInt8 = 28
    public static let requestedIPAddress: UInt8 = 50
    public static let leaseTime: UInt8 = 51
    public static let optionOverload: UInt8 = 52
    public static let messageType: UInt8 = 53
    public static let serverIdentifier: UInt8 = 54
    public static let parameterRequestList: UInt8 = 55
    public static let message: UInt8 = 56
    public static let maximumMessageSize: UInt8 = 57
    public static let clientIdentifier: UInt8 = 61
    public static let classlessStaticRoute: UInt8 = 121
    public static let end: UInt8 = 255
}

/// DHCP message type, option 53 (RFC 2132 section 9.6).
public enum DHCPMessageType: UInt8, Sendable, CustomStringConvertible {
    case discover = 1, offer, request, decline, ack, nak, release, inform

    public var description: String {
        switch self {
        case .discover: "DHCPDISCOVER"
        case .offer: "DHCPOFFER"
        case .request: "DHCPREQUEST"
        case .decline: "DHCPDECLINE"
        case .ack: "DHCPACK"
        case .nak: "DHCPNAK"
        case .release: "DHCPRELEASE"
        case .inform: "DHCPINFORM"
        }
    }
}
