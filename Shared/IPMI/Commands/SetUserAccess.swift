/// Set User Access, App 0x06/0x43: a user's privilege limit and messaging rights on a channel (IPMI v2.0 spec §22.26).
///
/// Byte 1: bit 7 change the bits below, bit 6 callback only, bit 5 link authentication, bit 4 IPMI messaging,
/// bits 3:0 channel. Byte 2: user ID. Byte 3: privilege limit. Byte 4 (optional): session limit.
/// Sidero's "administrator with IPMI messaging on channel 1" is `91 id 04`.
public enum SetUserAccess {
    public static let name = "Set User Access"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x43
    /// Privilege limit value that removes all access.
    public static let noAccess: UInt8 = 0x0F

    public static func request(
        channel: UInt8, userID: UInt8, privilegeLimit: UInt8, ipmiMessaging: Bool = true,
        linkAuthentication: Bool = false, callbackOnly: Bool = false, changeBits: Bool = true,
        sessionLimit: UInt8? = nil
    ) throws(IPMICommandError) -> IPMIRequest {
        try UserID.validate(userID, command: name)
        guard channel <= 0x0F else { throw .malformed("\(name): channel \(channel) is outside 0…15") }
        guard privilegeLimit <= 0x0F else {
            throw .malformed("\(name): privilege limit \(privilegeLimit) is outside 0…15")
        }
        var first = channel
        if changeBits { first |= 0x80 }
        if callbackOnly { first |= 0x40 }
        if linkAuthentication { first |= 0x20 }
        if ipmiMessaging { first |= 0x10 }
        var data: [UInt8] = [first, userID, privilegeLimit]
        if let sessionLimit {
            guard sessionLimit <= 0x0F else { throw .malformed("\(name): session limit \(sessionLimit) is outside 0…15") }
            data.append(sessionLimit)
        }
        return IPMIRequest(netFn: netFn, command: command, data: data)
    }

    public static func request(
        channel: UInt8, userID: UInt8, privilege: IPMIPrivilege, ipmiMessaging: Bool = true,
        linkAuthentication: Bool = false, callbackOnly: Bool = false
    ) throws(IPMICommandError) -> IPMIRequest {
        try request(
            channel: channel, userID: userID, privilegeLimit: privilege.rawValue, ipmiMessaging: ipmiMessaging,
            linkAuthentication: linkAuthentication, callbackOnly: callbackOnly)
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) {
        _ = try response.successData(command: name)
    }
}
