/// Get System Boot Options, Chassis 0x00/0x09: reads one boot option parameter (IPMI v2.0 spec §28.13).
public enum GetSystemBootOptions {
    public static let name = "Get System Boot Options"
    public static let netFn = IPMINetFn.chassis
    public static let command: UInt8 = 0x09

    public static func request(parameter: UInt8, setSelector: UInt8 = 0, blockSelector: UInt8 = 0) -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command, data: [parameter & 0x7F, setSelector, blockSelector])
    }

    public static func bootFlagsRequest() -> IPMIRequest {
        request(parameter: BootFlags.parameter)
    }

    /// Response: parameter version ‖ bit 7 invalid/locked, bits 6:0 parameter ‖ data.
    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> BootOptionParameter {
        let data = try response.successData(command: name, minimumCount: 2)
        return BootOptionParameter(
            version: data[0], parameter: data[1] & 0x7F, valid: data[1] & 0x80 == 0, data: Array(data.dropFirst(2)))
    }

    /// The boot flags, when the response is parameter 5.
    public static func parseBootFlags(_ response: IPMIResponse) throws(IPMICommandError) -> BootFlags {
        let parameter = try parse(response)
        guard parameter.parameter == BootFlags.parameter else {
            throw .malformed("\(name): expected parameter 5 (boot flags), got \(parameter.parameter)")
        }
        return try BootFlags.decode(parameter.data)
    }
}

/// One boot option parameter as Get System Boot Options returns it.
public struct BootOptionParameter: Sendable, Hashable {
    /// Parameter version, 1 for this spec.
    public var version: UInt8
    public var parameter: UInt8
    /// False when the BMC marks the parameter invalid or locked.
    public var valid: Bool
    public var data: [UInt8]

    public init(version: UInt8, parameter: UInt8, valid: Bool, data: [UInt8]) {
        self.version = version
        self.parameter = parameter
        self.valid = valid
        self.data = data
    }
}
