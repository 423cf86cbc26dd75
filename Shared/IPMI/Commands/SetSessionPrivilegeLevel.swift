/// Set Session Privilege Level, App 0x06/0x3B: raises the session to the privilege its commands need (IPMI v2.0 spec §22.18).
public enum SetSessionPrivilegeLevel {
    public static let name = "Set Session Privilege Level"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x3B

    public static func request(_ privilege: IPMIPrivilege) -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command, data: [privilege.rawValue])
    }

    /// The privilege level the session now has.
    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> IPMIPrivilege {
        let data = try response.successData(command: name, minimumCount: 1)
        guard let granted = IPMIPrivilege(rawValue: data[0] & 0x0F) else {
            throw .malformed("\(name): unknown privilege level \(hexByte(data[0] & 0x0F))")
        }
        return granted
    }
}
