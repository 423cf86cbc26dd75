/// A static route from option 121 (RFC 3442): `destination/prefixLength` via `router`, where a
/// router of 0.0.0.0 means the destination is on the link itself.
public struct DHCPRoute: Hashable, Sendable, CustomStringConvertible {
    public var destination: IPv4Address
    public var prefixLength: Int
    public var router: IPv4Address

    public init(destination: IPv4Address, prefixLength: Int, router: IPv4Address) {
        self.destination = destination
        self.prefixLength = prefixLength
        self.router = router
    }

    /// True for 0.0.0.0/0.
    public var isDefault: Bool { prefixLength == 0 }

    /// True when the destination is reached without a router.
    public var isOnLink: Bool { router == .any }

    public var description: String {
        "\(destination)/\(prefixLength) via \(isOnLink ? "on-link" : router.description)"
    }

    /// Decodes option 121's data: each route is a prefix length (0–32), then only the
    /// significant octets of the destination (ceil(length / 8)), then 4 octets of router.
    /// Host bits set in the destination are cleared, as RFC 3442 section 2 tells clients to.
    public static func decodeClassless(_ data: [UInt8]) throws(DHCPOptionError) -> [DHCPRoute] {
        let code = DHCPOptionCode.classlessStaticRoute
        // The shortest route (0.0.0.0/0 via a router) takes 5 bytes.
        guard data.count >= 5 else { throw .badLength(code: code, length: data.count, expected: "at least 5") }
        var routes: [DHCPRoute] = []
        var offset = 0
        while offset < data.count {
            let prefixLength = Int(data[offset])
            guard prefixLength <= 32 else {
                throw .badValue(code: code, reason: "prefix length \(prefixLength) at byte \(offset) exceeds 32")
            }
            let significant = (prefixLength + 7) / 8
            let needed = 1 + significant + 4
            guard offset + needed <= data.count else {
                throw .badValue(code: code, reason: "route at byte \(offset) needs \(needed) bytes, \(data.count - offset) remain")
            }
            var destination: UInt32 = 0
            for index in 0..<4 {
                let octet = index < significant ? data[offset + 1 + index] : 0
                destination = destination << 8 | UInt32(octet)
            }
            destination &= IPv4Address.netmask(prefixLength: prefixLength).value
            let routerStart = offset + 1 + significant
            routes.append(DHCPRoute(
                destination: IPv4Address(destination), prefixLength: prefixLength,
                router: IPv4Address(bytes: data[routerStart..<routerStart + 4])))
            offset += needed
        }
        return routes
    }

    /// Encodes routes in option 121's compact form (for tests and servers).
    public static func encodeClassless(_ routes: [DHCPRoute]) -> [UInt8] {
        routes.flatMap { route -> [UInt8] in
            let length = min(max(route.prefixLength, 0), 32)
            return [UInt8(length)] + route.destination.octets.prefix((length + 7) / 8) + route.router.octets
        }
    }
}
