/// A BOOTP/DHCP message (RFC 2131 section 2): the fixed header and its options.
///
/// Options keep their order and may repeat; the typed accessors (`DHCPMessage+Options.swift`)
/// join repeated instances as RFC 3396 says.
public struct DHCPMessage: Hashable, Sendable {
    /// BOOTREQUEST (client to server) or BOOTREPLY.
    public enum Operation: UInt8, Sendable {
        case request = 1
        case reply = 2
    }

    /// The bytes every DHCP message's options start with (99.130.83.99).
    public static let magicCookie: [UInt8] = [99, 130, 83, 99]
    /// The fixed header's length, up to and excluding the magic cookie.
    public static let headerLength = 236
    /// The `flags` bit asking the server to broadcast its reply: we cannot receive unicast before we have an address.
    public static let broadcastFlag: UInt16 = 0x8000

    public var operation: Operation
    /// Hardware type: 1 is Ethernet.
    public var hardwareType: UInt8
    /// Hardware address length: 6 for Ethernet; at most 16.
    public var hardwareAddressLength: UInt8
    public var hops: UInt8
    /// Transaction id: replies carry the client's, so the client knows they answer it.
    public var xid: UInt32
    /// Seconds since the client began acquiring an address.
    public var secs: UInt16
    public var flags: UInt16
    /// Client address, when it already has one (renewing).
    public var ciaddr: IPv4Address
    /// "Your" address: what the server offers or assigns.
    public var yiaddr: IPv4Address
    /// Next server (e.g. for booting).
    public var siaddr: IPv4Address
    /// Relay agent.
    public var giaddr: IPv4Address
    /// Client hardware address: decoding keeps the first `hardwareAddressLength` bytes of the
    /// 16-byte field; encoding NUL-pads it back.
    public var chaddr: [UInt8]
    /// Server host name, up to 64 bytes (NUL-padded on the wire).
    public var sname: [UInt8]
    /// Boot file name, up to 128 bytes (NUL-padded on the wire).
    public var file: [UInt8]
    public var options: [DHCPOption]

    public init(
        operation: Operation, hardwareType: UInt8 = 1, hardwareAddressLength: UInt8 = 6, hops: UInt8 = 0,
        xid: UInt32, secs: UInt16 = 0, flags: UInt16 = 0,
        ciaddr: IPv4Address = .any, yiaddr: IPv4Address = .any, siaddr: IPv4Address = .any, giaddr: IPv4Address = .any,
        chaddr: [UInt8], sname: [UInt8] = [], file: [UInt8] = [], options: [DHCPOption] = []
    ) {
        self.operation = operation
        self.hardwareType = hardwareType
        self.hardwareAddressLength = hardwareAddressLength
        self.hops = hops
        self.xid = xid
        self.secs = secs
        self.flags = flags
        self.ciaddr = ciaddr
        self.yiaddr = yiaddr
        self.siaddr = siaddr
        self.giaddr = giaddr
        self.chaddr = chaddr
        self.sname = sname
        self.file = file
        self.options = options
    }

    /// The client hardware address: `chaddr` cut to `hardwareAddressLength`.
    public var clientHardwareAddress: [UInt8] {
        Array(chaddr.prefix(Int(hardwareAddressLength)))
    }

    /// The data of every instance of `code`, joined (RFC 3396); nil when the option is absent.
    public func option(_ code: UInt8) -> [UInt8]? {
        let matching = options.filter { $0.code == code }
        return matching.isEmpty ? nil : matching.flatMap(\.data)
    }
}
