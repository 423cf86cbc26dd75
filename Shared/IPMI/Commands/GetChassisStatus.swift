/// Get Chassis Status, Chassis 0x00/0x01: power state, faults and the power-restore policy (IPMI v2.0 spec §28.2).
public enum GetChassisStatus {
    public static let name = "Get Chassis Status"
    public static let netFn = IPMINetFn.chassis
    public static let command: UInt8 = 0x01

    public static func request() -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command)
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> ChassisStatus {
        let data = try response.successData(command: name, minimumCount: 3)
        let power = data[0]
        return ChassisStatus(
            powerOn: power & 0x01 != 0,
            overload: power & 0x02 != 0,
            interlock: power & 0x04 != 0,
            powerFault: power & 0x08 != 0,
            controlFault: power & 0x10 != 0,
            restorePolicy: PowerRestorePolicy(rawValue: (power >> 5) & 0x03) ?? .unknown,
            lastPowerEvent: data[1],
            miscellaneous: data[2],
            frontPanel: data.count > 3 ? data[3] : nil)
    }
}

/// Power restore policy, bits 6:5 of the current power state byte.
public enum PowerRestorePolicy: UInt8, Sendable, Hashable {
    case alwaysOff = 0
    case restorePrevious = 1
    case alwaysOn = 2
    case unknown = 3
}

/// What Get Chassis Status reports (IPMI v2.0 spec §28.2, table 28-3).
public struct ChassisStatus: Sendable, Hashable {
    public var powerOn: Bool
    public var overload: Bool
    public var interlock: Bool
    public var powerFault: Bool
    public var controlFault: Bool
    public var restorePolicy: PowerRestorePolicy
    /// Last power event bits (AC failed, overload, interlock, fault, command).
    public var lastPowerEvent: UInt8
    /// Misc chassis state (intrusion, front panel lockout, drive fault, fan fault, identify).
    public var miscellaneous: UInt8
    /// Front panel button capabilities, when the BMC sends them.
    public var frontPanel: UInt8?
}
