import AnvilDHCP

/// rtnetlink requests (linux/rtnetlink.h) built as bytes, so no kernel struct layouts are
/// needed from Swift and tests can check them. Integers are in host order, as netlink wants.
struct RouteNetlinkMessage: Equatable, Sendable {
    /// The whole message, header included.
    var bytes: [UInt8]

    static let newLink: UInt16 = 16       // RTM_NEWLINK
    static let newAddress: UInt16 = 20    // RTM_NEWADDR
    static let newRoute: UInt16 = 24      // RTM_NEWROUTE
    static let error: UInt16 = 2          // NLMSG_ERROR: carries the ack
    static let request: UInt16 = 0x1      // NLM_F_REQUEST
    static let acknowledge: UInt16 = 0x4  // NLM_F_ACK
    static let replace: UInt16 = 0x100    // NLM_F_REPLACE
    static let create: UInt16 = 0x400     // NLM_F_CREATE
    static let headerLength = 16

    /// Sets IFF_UP on the link, like `ip link set NAME up`.
    static func linkUp(index: Int32, sequence: UInt32) -> Self {
        var body: [UInt8] = [0, 0]            // ifi_family AF_UNSPEC, padding
        body.appendHost(UInt16(0))            // ifi_type
        body.appendHost(UInt32(bitPattern: index))
        body.appendHost(UInt32(1))            // ifi_flags: IFF_UP
        body.appendHost(UInt32(1))            // ifi_change: only IFF_UP
        return Self(type: newLink, flags: request | acknowledge, sequence: sequence, body: body)
    }

    /// Sets the link's MTU (IFLA_MTU), like `ip link set NAME mtu N`.
    static func setMTU(index: Int32, mtu: UInt32, sequence: UInt32) -> Self {
        var body: [UInt8] = [0, 0]
        body.appendHost(UInt16(0))
        body.appendHost(UInt32(bitPattern: index))
        body.appendHost(UInt32(0))
        body.appendHost(UInt32(0))
        body.appendAttribute(4, hostOrder: mtu)  // IFLA_MTU
        return Self(type: newLink, flags: request | acknowledge, sequence: sequence, body: body)
    }

    /// Adds (or replaces) an IPv4 address, like `ip addr replace A/N broadcast B dev NAME`.
    static func addAddress(index: Int32, address: IPv4Address, prefixLength: Int, broadcast: IPv4Address?, sequence: UInt32) -> Self {
        var body: [UInt8] = [2, UInt8(clamping: prefixLength), 0, 0]  // AF_INET, prefix, flags, RT_SCOPE_UNIVERSE
        body.appendHost(UInt32(bitPattern: index))
        body.appendAttribute(2, address.octets)                        // IFA_LOCAL
        body.appendAttribute(1, address.octets)                        // IFA_ADDRESS
        if let broadcast { body.appendAttribute(4, broadcast.octets) } // IFA_BROADCAST
        return Self(type: newAddress, flags: request | acknowledge | create | replace, sequence: sequence, body: body)
    }

    /// Adds (or replaces) a route in the main table, like `ip route replace D/N via R dev NAME`.
    /// A route with router 0.0.0.0 is on-link (scope link, no gateway).
    static func addRoute(index: Int32, route: DHCPRoute, sequence: UInt32) -> Self {
        var body: [UInt8] = [
            2, UInt8(clamping: route.prefixLength), 0, 0,  // AF_INET, dst_len, src_len, tos
            254, 16,                                       // RT_TABLE_MAIN, RTPROT_DHCP
            route.isOnLink ? 253 : 0,                      // RT_SCOPE_LINK or RT_SCOPE_UNIVERSE
            1,                                             // RTN_UNICAST
        ]
        body.appendHost(UInt32(0))                         // rtm_flags
        if route.prefixLength > 0 { body.appendAttribute(1, route.destination.octets) }  // RTA_DST
        if !route.isOnLink { body.appendAttribute(5, route.router.octets) }              // RTA_GATEWAY
        body.appendAttribute(4, hostOrder: UInt32(bitPattern: index))                    // RTA_OIF
        return Self(type: newRoute, flags: request | acknowledge | create | replace, sequence: sequence, body: body)
    }

    private init(type: UInt16, flags: UInt16, sequence: UInt32, body: [UInt8]) {
        var bytes: [UInt8] = []
        bytes.appendHost(UInt32(Self.headerLength + body.count))
        bytes.appendHost(type)
        bytes.appendHost(flags)
        bytes.appendHost(sequence)
        bytes.appendHost(UInt32(0))  // nlmsg_pid: the kernel fills in ours
        self.bytes = bytes + body
    }

    /// The errno in the kernel's ack for `sequence` among `reply`'s messages: 0 for success,
    /// nil when the reply holds no ack for it.
    static func acknowledgement(in reply: [UInt8], sequence: UInt32) -> Int32? {
        var offset = 0
        while offset + headerLength <= reply.count {
            let length = Int(reply.readHostUInt32(at: offset))
            guard length >= headerLength, offset + length <= reply.count else { return nil }
            let type = reply.readHostUInt16(at: offset + 4)
            let replySequence = reply.readHostUInt32(at: offset + 8)
            if type == error, replySequence == sequence, length >= headerLength + 4 {
                // struct nlmsgerr: a negative errno, or 0 for the ack.
                return -Int32(bitPattern: reply.readHostUInt32(at: offset + headerLength))
            }
            offset += (length + 3) & ~3
        }
        return nil
    }
}

fileprivate extension [UInt8] {
    mutating func appendHost(_ value: UInt16) {
        Swift.withUnsafeBytes(of: value) { append(contentsOf: $0) }
    }

    mutating func appendHost(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value) { append(contentsOf: $0) }
    }

    /// One rtattr: length, type, data, padded to 4 bytes.
    mutating func appendAttribute(_ type: UInt16, _ data: [UInt8]) {
        appendHost(UInt16(4 + data.count))
        appendHost(type)
        append(contentsOf: data)
        append(contentsOf: repeatElement(0, count: (4 - data.count % 4) % 4))
    }

    mutating func appendAttribute(_ type: UInt16, hostOrder value: UInt32) {
        appendAttribute(type, Swift.withUnsafeBytes(of: value) { Array($0) })
    }

    /// The host-order UInt32 at `offset` (the caller checks the bounds).
    func readHostUInt32(at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        Swift.withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<4 { raw[index] = self[offset + index] }
        }
        return value
    }

    /// The host-order UInt16 at `offset` (the caller checks the bounds).
    func readHostUInt16(at offset: Int) -> UInt16 {
        var value: UInt16 = 0
        Swift.withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<2 { raw[index] = self[offset + index] }
        }
        return value
    }
}
