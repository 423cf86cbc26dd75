/// Get User Access, App 0x06/0x44: the user table summary and one user's access on a channel (IPMI v2.0 spec §22.27).
public enum GetUserAccess {
    public static let name = "Get User Access"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x44

    public static func request(channel: UInt8, userID: UInt8) -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command, data: [channel & 0x0F, userID & 0x3F])
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> UserAccess {
        let data = try response.successData(command: name, minimumCount: 4)
        return UserAccess(
            maximumUserIDs: data[0] & 0x3F,
            enabledUserIDs: data[1] & 0x3F,
            userIDEnableStatus: data[1] >> 6,
            fixedNameUserIDs: data[2] & 0x3F,
            callbackOnly: data[3] & 0x40 != 0,
            linkAuthentication: data[3] & 0x20 != 0,
            ipmiMessaging: data[3] & 0x10 != 0,
            privilegeLimit: data[3] & 0x0F)
    }
}

/// What Get User Access reports (IPMI v2.0 spec §22.27, table 22-34).
public struct UserAccess: Sendable, Hashable {
    /// Size of the user table.
    public var maximumUserIDs: UInt8
    /// How many user IDs are enabled.
    public var enabledUserIDs: UInt8
    /// This user's enable status: 1 enabled, 2 disabled, 0 unspecified.
    public var userIDEnableStatus: UInt8
    /// How many user IDs have fixed names (user 1, usually).
    public var fixedNameUserIDs: UInt8
    /// The user may only connect through callback.
    public var callbackOnly: Bool
    public var linkAuthentication: Bool
    public var ipmiMessaging: Bool
    /// 1 callback … 4 administrator, 5 OEM, 0x0F no access.
    public var privilegeLimit: UInt8
}
