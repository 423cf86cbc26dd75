/// Close Session, App 0x06/0x3C: ends the session named by the BMC's (managed system) session ID (IPMI v2.0 spec §22.19).
public enum CloseSession {
    public static let name = "Close Session"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x3C

    public static func request(managedSystemSessionID: UInt32) -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command, data: .littleEndian(managedSystemSessionID))
    }

    /// Only the completion code matters (0x87 invalid session ID, 0x88 invalid session handle).
    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) {
        _ = try response.successData(command: name)
    }
}
