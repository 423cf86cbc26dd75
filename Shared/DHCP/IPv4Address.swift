/// An IPv4 address, kept as the 32-bit number it is on the wire (network byte order when encoded).
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address as a number: 10.0.0.1 is 0x0A00_0001.
    public var value: UInt32

    /// 0.0.0.0: "no address" in BOOTP fields, "on-link" as a classless route's router.
    public static let any = IPv4Address(0)
    /// 255.255.255.255: the limited broadcast address DHCP clients send to before they have an address.
    public static let broadcast = IPv4Address(0xFFFF_FFFF)

    public init(_ value: UInt32) {
        self.value = value
    }

    /// The address from its four octets, most significant first.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text ("10.77.0.1"); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    /// Reads four octets at `offset`; the caller checks the bounds.
    init(bytes: some Collection<UInt8>) {
        var value: UInt32 = 0
        for byte in bytes.prefix(4) { value = value << 8 | UInt32(byte) }
        self.value = value
    }

    /// The four octets, most significant first (network order).
    public var octets: [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    public var description: String {
        octets.map(String.init).joined(separator: ".")
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.value < rhs.value
    }

    /// The netmask with `prefixLength` leading one bits (0...32).
    public static func netmask(prefixLength: Int) -> IPv4Address {
        let length = min(max(prefixLength, 0), 32)
        return IPv4Address(length == 0 ? 0 : UInt32.max << (32 - UInt32(length)))
    }

    /// The number of leading one bits when this is a contiguous netmask, nil otherwise (255.0.255.0).
    public var prefixLength: Int? {
        let ones = value.leadingZeroBitCount == 0 ? (~value).leadingZeroBitCount : 0
        return IPv4Address.netmask(prefixLength: ones).value == value ? ones : nil
    }
}
