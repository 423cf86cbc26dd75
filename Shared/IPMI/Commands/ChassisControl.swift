/// Chassis Control, Chassis 0x00/0x02: power down, up, cycle, hard reset, NMI or ACPI soft shutdown (IPMI v2.0 spec §28.3).
public enum ChassisControl {
    public static let name = "Chassis Control"
    public static let netFn = IPMINetFn.chassis
    public static let command: UInt8 = 0x02

    public static func request(_ action: ChassisControlAction) -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command, data: [action.rawValue])
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) {
        _ = try response.successData(command: name)
    }
}

/// The chassis control byte (IPMI v2.0 spec §28.3, table 28-4).
public enum ChassisControlAction: UInt8, Sendable, Hashable, CaseIterable {
    case powerDown = 0
    case powerUp = 1
    case powerCycle = 2
    case hardReset = 3
    /// Pulse diagnostic interrupt (NMI).
    case diagnosticInterrupt = 4
    /// Initiate soft shutdown via ACPI overtemperature emulation.
    case softShutdown = 5
}
