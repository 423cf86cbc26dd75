extension DHCPClient {
    /// DHCPDISCOVER: broadcast, asking for the agent's options.
    func buildDiscover(at now: Duration) -> DHCPMessage {
        buildMessage(.discover, at: now, extra: [])
    }

    /// DHCPREQUEST in SELECTING state: names the chosen offer's address (50) and server (54),
    /// with ciaddr 0 (RFC 2131 section 4.3.2).
    func buildRequest(offered: IPv4Address, server: IPv4Address, at now: Duration) -> DHCPMessage {
        buildMessage(.request, at: now, extra: [
            DHCPOption(DHCPOptionCode.requestedIPAddress, addresses: [offered]),
            DHCPOption(DHCPOptionCode.serverIdentifier, addresses: [server]),
        ])
    }

    private func buildMessage(_ type: DHCPMessageType, at now: Duration, extra: [DHCPOption]) -> DHCPMessage {
        let mac = configuration.hardwareAddress
        var options = [
            DHCPOption(DHCPOptionCode.messageType, [type.rawValue]),
            // Option 61: hardware type 1 (Ethernet) then the MAC, as most clients send it.
            DHCPOption(DHCPOptionCode.clientIdentifier, [1] + mac),
        ]
        options += extra
        options.append(DHCPOption(DHCPOptionCode.parameterRequestList, configuration.requestedOptions))
        if let size = configuration.maximumMessageSize {
            options.append(DHCPOption(DHCPOptionCode.maximumMessageSize, [UInt8(size >> 8), UInt8(truncatingIfNeeded: size)]))
        }
        return DHCPMessage(
            operation: .request, hardwareType: 1, hardwareAddressLength: UInt8(min(mac.count, 16)),
            xid: xid, secs: Self.seconds(now),
            // We have no address yet, so ask for broadcast replies.
            flags: DHCPMessage.broadcastFlag, chaddr: mac, options: options)
    }

    /// Whole seconds since the attempt began, for the `secs` field.
    private static func seconds(_ elapsed: Duration) -> UInt16 {
        let seconds = elapsed.components.seconds
        return UInt16(clamping: max(seconds, 0))
    }
}
