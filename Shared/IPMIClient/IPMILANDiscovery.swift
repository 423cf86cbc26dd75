import AnvilIPMI
import AnvilPower

/// Where a BMC says it listens on the LAN.
public struct IPMILANAddress: Sendable, Hashable {
    /// Dotted quad as the BMC reports it; "0.0.0.0" when it has none configured.
    public var ip: String
    public var port: Int
    /// Why `port` is the default rather than the BMC's own answer; nil when the BMC said.
    public var portFallbackReason: String?

    public init(ip: String, port: Int, portFallbackReason: String? = nil) {
        self.ip = ip
        self.port = port
        self.portFallbackReason = portFallbackReason
    }
}

/// Reads a LAN channel's address (parameter 3) and primary RMCP port (parameter 8) with Get LAN
/// Configuration Parameters, as Sidero's agent does. Many BMCs do not offer parameter 8, so a
/// failure there means the standard port, 623.
public struct IPMILANDiscovery: Sendable {
    /// RMCP's well-known port (IPMI v2.0 spec §13.1.1).
    public static let defaultPort = 623
    /// Get LAN Configuration Parameters' own completion code 0x80: "parameter not supported" (spec §23.2).
    static let parameterNotSupported: UInt8 = 0x80

    public let executor: any IPMICommandExecutor
    public let channel: UInt8

    public init(executor: any IPMICommandExecutor, channel: UInt8 = 1) {
        self.executor = executor
        self.channel = channel
    }

    /// The address is required; the port falls back to 623 (with the reason) when unreadable.
    public func discover() async throws(PowerError) -> IPMILANAddress {
        let ip = try await executor.executeParsed(
            GetLANConfigurationParameters.request(channel: channel, parameter: GetLANConfigurationParameters.ipAddressParameter),
            name: "Get LAN Configuration Parameters (IP address)") { try GetLANConfigurationParameters.ipAddress(from: $0) }
        let portName = "Get LAN Configuration Parameters (RMCP port)"
        let request = GetLANConfigurationParameters.request(
            channel: channel, parameter: GetLANConfigurationParameters.primaryRMCPPortParameter)
        let response: IPMIResponse
        do {
            response = try await executor.execute(request, name: portName)
        } catch {
            return IPMILANAddress(ip: ip, port: Self.defaultPort, portFallbackReason: error.message)
        }
        if response.completionCode == Self.parameterNotSupported {
            return IPMILANAddress(
                ip: ip, port: Self.defaultPort, portFallbackReason: "the BMC does not support parameter 8 (completion code 0x80)")
        }
        do {
            try IPMIErrorMapping.check(portName, response, target: executor.target)
            let port = try GetLANConfigurationParameters.primaryRMCPPort(from: response)
            guard port != 0 else {
                return IPMILANAddress(ip: ip, port: Self.defaultPort, portFallbackReason: "the BMC reports port 0")
            }
            return IPMILANAddress(ip: ip, port: Int(port))
        } catch {
            let reason = IPMIErrorMapping.error(error, step: portName, target: executor.target).message
            return IPMILANAddress(ip: ip, port: Self.defaultPort, portFallbackReason: reason)
        }
    }
}
