/// Set System Boot Options, Chassis 0x00/0x08: writes one boot option parameter (IPMI v2.0 spec §28.12).
///
/// A boot device change, as ipmitool does it: `setInProgress(.setInProgress)`, `clearBootInfoAcknowledge()`,
/// `bootFlags(_:)`, `setInProgress(.commitWrite)`, `setInProgress(.setComplete)`.
public enum SetSystemBootOptions {
    public static let name = "Set System Boot Options"
    public static let netFn = IPMINetFn.chassis
    public static let command: UInt8 = 0x08

    static let setInProgressParameter: UInt8 = 0
    static let bootInfoAcknowledgeParameter: UInt8 = 4

    /// Bit 7 of the first byte marks the parameter invalid/locked.
    public static func request(parameter: UInt8, data: [UInt8], markInvalid: Bool = false) -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command, data: [(markInvalid ? 0x80 : 0x00) | (parameter & 0x7F)] + data)
    }

    /// Parameter 0, the write lock around a group of changes.
    public static func setInProgress(_ state: SetInProgressState) -> IPMIRequest {
        request(parameter: setInProgressParameter, data: [state.rawValue])
    }

    /// Parameter 4: mask 0x01, data 0x01, as ipmitool's `chassis_bootparam_clear_ack(BIOS_POST_ACK)` and Sidero send it.
    public static func clearBootInfoAcknowledge() -> IPMIRequest {
        request(parameter: bootInfoAcknowledgeParameter, data: [0x01, 0x01])
    }

    /// Parameter 5: `00 08 05 A0 04 00 00 00` for a one-time UEFI PXE boot.
    public static func bootFlags(_ flags: BootFlags) -> IPMIRequest {
        request(parameter: BootFlags.parameter, data: flags.encode())
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) {
        _ = try response.successData(command: name)
    }
}

/// Boot option parameter 0, "set in progress" (IPMI v2.0 spec §28.13, table 28-14).
public enum SetInProgressState: UInt8, Sendable, Hashable, CaseIterable {
    case setComplete = 0
    case setInProgress = 1
    case commitWrite = 2
}
