/// Typed views of the options the agent uses. Each is nil when the option is absent and throws
/// a `DHCPOptionError` when it is present but malformed (a wrong length, an impossible value).
extension DHCPMessage {
    /// Option 53.
    public var messageType: DHCPMessageType? {
        get throws(DHCPOptionError) {
            guard let data = try fixed(DHCPOptionCode.messageType, length: 1) else { return nil }
            guard let type = DHCPMessageType(rawValue: data[0]) else {
                throw .badValue(code: DHCPOptionCode.messageType, reason: "unknown message type \(data[0])")
            }
            return type
        }
    }

    /// Option 54: the server that made an offer, and that a request names.
    public var serverIdentifier: IPv4Address? {
        get throws(DHCPOptionError) { try address(DHCPOptionCode.serverIdentifier) }
    }

    /// Option 51, in seconds; 0xFFFFFFFF means infinite.
    public var leaseTime: UInt32? {
        get throws(DHCPOptionError) {
            try fixed(DHCPOptionCode.leaseTime, length: 4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } }
        }
    }

    /// Option 1.
    public var subnetMask: IPv4Address? {
        get throws(DHCPOptionError) { try address(DHCPOptionCode.subnetMask) }
    }

    /// Option 28.
    public var broadcastAddress: IPv4Address? {
        get throws(DHCPOptionError) { try address(DHCPOptionCode.broadcastAddress) }
    }

    /// Option 3, most preferred first.
    public var routers: [IPv4Address]? {
        get throws(DHCPOptionError) { try addresses(DHCPOptionCode.router) }
    }

    /// Option 6, most preferred first.
    public var dnsServers: [IPv4Address]? {
        get throws(DHCPOptionError) { try addresses(DHCPOptionCode.domainNameServer) }
    }

    /// Option 15.
    public var domainName: String? {
        get throws(DHCPOptionError) { try text(DHCPOptionCode.domainName) }
    }

    /// Option 12.
    public var hostName: String? {
        get throws(DHCPOptionError) { try text(DHCPOptionCode.hostName) }
    }

    /// Option 56: the server's explanation, typically on a NAK.
    public var serverMessage: String? {
        get throws(DHCPOptionError) { try text(DHCPOptionCode.message) }
    }

    /// Option 26; RFC 2132 sets 68 as the minimum.
    public var interfaceMTU: UInt16? {
        get throws(DHCPOptionError) {
            guard let data = try fixed(DHCPOptionCode.interfaceMTU, length: 2) else { return nil }
            let mtu = UInt16(data[0]) << 8 | UInt16(data[1])
            guard mtu >= 68 else { throw .badValue(code: DHCPOptionCode.interfaceMTU, reason: "MTU \(mtu) is below the minimum 68") }
            return mtu
        }
    }

    /// Option 121 (RFC 3442).
    public var classlessStaticRoutes: [DHCPRoute]? {
        get throws(DHCPOptionError) {
            guard let data = option(DHCPOptionCode.classlessStaticRoute) else { return nil }
            return try DHCPRoute.decodeClassless(data)
        }
    }

    private func fixed(_ code: UInt8, length: Int) throws(DHCPOptionError) -> [UInt8]? {
        guard let data = option(code) else { return nil }
        guard data.count == length else { throw .badLength(code: code, length: data.count, expected: "\(length)") }
        return data
    }

    private func address(_ code: UInt8) throws(DHCPOptionError) -> IPv4Address? {
        try fixed(code, length: 4).map { IPv4Address(bytes: $0) }
    }

    private func addresses(_ code: UInt8) throws(DHCPOptionError) -> [IPv4Address]? {
        guard let data = option(code) else { return nil }
        guard !data.isEmpty, data.count % 4 == 0 else {
            throw .badLength(code: code, length: data.count, expected: "a non-zero multiple of 4")
        }
        return stride(from: 0, to: data.count, by: 4).map { IPv4Address(bytes: data[$0..<$0 + 4]) }
    }

    /// NVT ASCII text; servers may NUL-terminate it (RFC 2132 section 2), so trailing NULs go.
    private func text(_ code: UInt8) throws(DHCPOptionError) -> String? {
        guard let data = option(code) else { return nil }
        let trimmed = data.prefix { $0 != 0 }
        guard !trimmed.isEmpty else { throw .badLength(code: code, length: data.count, expected: "at least 1 character") }
        guard trimmed.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw .badValue(code: code, reason: "holds bytes that are not printable ASCII")
        }
        return String(decoding: trimmed, as: UTF8.self)
    }
}
