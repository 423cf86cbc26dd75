/// Get User Name, App 0x06/0x46: the 16-byte, NUL-padded name of a user ID (IPMI v2.0 spec §22.29).
public enum GetUserName {
    public static let name = "Get User Name"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x46

    public static func request(userID: UInt8) -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command, data: [userID & 0x3F])
    }

    /// The name bytes up to the first NUL.
    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> [UInt8] {
        let data = try response.successData(command: name, minimumCount: SetUserName.nameFieldLength)
        return Array(data.prefix(SetUserName.nameFieldLength).prefix { $0 != 0 })
    }
}
