/// Get Channel Authentication Capabilities, App 0x06/0x38, sent session-less to learn whether the BMC speaks IPMI v2.0 (IPMI v2.0 spec §22.13).
public enum GetChannelAuthenticationCapabilities {
    public static let name = "Get Channel Authentication Capabilities"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x38

    /// Channel 0x0E is "this channel"; bit 7 asks for the IPMI v2.0 extended data (so `8E 04` by default).
    public static func request(
        channel: UInt8 = 0x0E, privilege: IPMIPrivilege = .administrator, requestIPMIv2Data: Bool = true
    ) -> IPMIRequest {
        IPMIRequest(
            netFn: netFn, command: command,
            data: [(requestIPMIv2Data ? 0x80 : 0x00) | (channel & 0x0F), privilege.rawValue])
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> ChannelAuthenticationCapabilities {
        let data = try response.successData(command: name, minimumCount: 8)
        let authTypes = data[1]
        let status = data[2]
        let extended = authTypes & 0x80 != 0
        return ChannelAuthenticationCapabilities(
            channel: data[0] & 0x0F,
            supportsIPMIv2: extended && data[3] & 0x02 != 0,
            supportsIPMIv15: !extended || data[3] & 0x01 != 0,
            authTypeNone: authTypes & 0x01 != 0,
            authTypeMD2: authTypes & 0x02 != 0,
            authTypeMD5: authTypes & 0x04 != 0,
            authTypeStraightPassword: authTypes & 0x10 != 0,
            authTypeOEM: authTypes & 0x20 != 0,
            kgIsSet: status & 0x20 != 0,
            perMessageAuthenticationDisabled: status & 0x10 != 0,
            userLevelAuthenticationDisabled: status & 0x08 != 0,
            nonNullUserNamesEnabled: status & 0x04 != 0,
            nullUserNamesEnabled: status & 0x02 != 0,
            anonymousLoginEnabled: status & 0x01 != 0,
            oemID: UInt32(data[4]) | UInt32(data[5]) << 8 | UInt32(data[6]) << 16,
            oemAuxiliaryData: data[7])
    }
}

/// What Get Channel Authentication Capabilities reports (IPMI v2.0 spec §22.13, response bytes 2–9).
public struct ChannelAuthenticationCapabilities: Sendable, Hashable {
    public var channel: UInt8
    /// The channel supports IPMI v2.0 (RMCP+) sessions: extended data present and its v2.0 bit set.
    public var supportsIPMIv2: Bool
    public var supportsIPMIv15: Bool
    public var authTypeNone: Bool
    public var authTypeMD2: Bool
    public var authTypeMD5: Bool
    public var authTypeStraightPassword: Bool
    public var authTypeOEM: Bool
    /// A BMC key (KG) is configured: two-key logins need it.
    public var kgIsSet: Bool
    public var perMessageAuthenticationDisabled: Bool
    public var userLevelAuthenticationDisabled: Bool
    public var nonNullUserNamesEnabled: Bool
    public var nullUserNamesEnabled: Bool
    public var anonymousLoginEnabled: Bool
    /// IANA enterprise number of an OEM that defines more auth types (20 bits, LE on the wire).
    public var oemID: UInt32
    public var oemAuxiliaryData: UInt8
}
