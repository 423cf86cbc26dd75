/// Get LAN Configuration Parameters, Transport 0x0C/0x02: reads one LAN channel parameter (IPMI v2.0 spec §23.2).
public enum GetLANConfigurationParameters {
    public static let name = "Get LAN Configuration Parameters"
    public static let netFn = IPMINetFn.transport
    public static let command: UInt8 = 0x02

    /// Parameter 3: IP address, 4 bytes, most significant first (spec table 23-4).
    public static let ipAddressParameter: UInt8 = 3
    /// Parameter 8: primary RMCP port, 2 bytes, least significant first.
    public static let primaryRMCPPortParameter: UInt8 = 8

    /// Bit 7 of the channel byte asks for the parameter revision only.
    public static func request(
        channel: UInt8, parameter: UInt8, setSelector: UInt8 = 0, blockSelector: UInt8 = 0, revisionOnly: Bool = false
    ) -> IPMIRequest {
        IPMIRequest(
            netFn: netFn, command: command,
            data: [(revisionOnly ? 0x80 : 0x00) | (channel & 0x0F), parameter, setSelector, blockSelector])
    }

    /// Response: parameter revision ‖ data.
    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> LANConfigurationParameter {
        let data = try response.successData(command: name, minimumCount: 1)
        return LANConfigurationParameter(revision: data[0], data: Array(data.dropFirst()))
    }

    /// Parameter 3 as dotted quad, "a.b.c.d".
    public static func ipAddress(from response: IPMIResponse) throws(IPMICommandError) -> String {
        let parameter = try parse(response)
        guard parameter.data.count >= 4 else {
            throw .malformed("\(name): IP address has \(parameter.data.count) bytes, needs 4")
        }
        return parameter.data.prefix(4).map { String($0) }.joined(separator: ".")
    }

    /// Parameter 8 as a port number.
    public static func primaryRMCPPort(from response: IPMIResponse) throws(IPMICommandError) -> UInt16 {
        let parameter = try parse(response)
        guard parameter.data.count >= 2 else {
            throw .malformed("\(name): RMCP port has \(parameter.data.count) bytes, needs 2")
        }
        return UInt16(parameter.data[0]) | UInt16(parameter.data[1]) << 8
    }
}

/// One LAN configuration parameter: its revision byte and data.
public struct LANConfigurationParameter: Sendable, Hashable {
    public var revision: UInt8
    public var data: [UInt8]

    public init(revision: UInt8, data: [UInt8]) {
        self.revision = revision
        self.data = data
    }
}
