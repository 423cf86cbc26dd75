/// Set User Name, App 0x06/0x45: user ID ‖ 16-byte NUL-padded name (IPMI v2.0 spec §22.28).
public enum SetUserName {
    public static let name = "Set User Name"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x45
    static let nameFieldLength = 16

    /// User IDs are 1…63; names at most 16 bytes.
    public static func request(userID: UInt8, userName: [UInt8]) throws(IPMICommandError) -> IPMIRequest {
        try UserID.validate(userID, command: name)
        guard userName.count <= nameFieldLength else {
            throw .malformed("user name longer than 16 bytes")
        }
        let field = userName + [UInt8](repeating: 0, count: nameFieldLength - userName.count)
        return IPMIRequest(netFn: netFn, command: command, data: [userID] + field)
    }

    public static func request(userID: UInt8, userName: String) throws(IPMICommandError) -> IPMIRequest {
        try request(userID: userID, userName: Array(userName.utf8))
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) {
        _ = try response.successData(command: name)
    }
}
