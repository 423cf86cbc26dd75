/// Where a machine's BMC answers and the credentials Anvil should use: what `--create-servers`
/// writes into `spec.bmc` and what the agent reports in band.
public struct SimulatedBMCEndpoint: Sendable, Equatable, Codable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String

    public init(host: String, port: Int, user: String, password: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
    }
}

/// Gives machine `index` its BMC, driving `chassis` (the lead plugs the IPMI BMC host in here).
/// nil means the machine has no BMC.
public typealias BMCEndpointFactory = @Sendable (_ index: Int, _ chassis: SimulatedChassis) async throws -> SimulatedBMCEndpoint?
