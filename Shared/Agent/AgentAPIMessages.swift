import AnvilResources

/// The agent API's messages as the agent sees them (metadatad's `/api/v1/`, docs/agent.md).
public struct RegisterAnswer: Codable, Sendable, Equatable {
    public var accepted: Bool
    public var wipe: Bool
    public var insecureWipe: Bool
    public var setupBMC: Bool
    public var rebootTimeoutSeconds: Double

    public init(accepted: Bool, wipe: Bool = false, insecureWipe: Bool = false, setupBMC: Bool = false, rebootTimeoutSeconds: Double = 1200) {
        self.accepted = accepted
        self.wipe = wipe
        self.insecureWipe = insecureWipe
        self.setupBMC = setupBMC
        self.rebootTimeoutSeconds = rebootTimeoutSeconds
    }
}

/// What the agent registers: the machine's identity and inventory.
public struct Registration: Codable, Sendable, Equatable {
    public var uuid: String
    public var hostname: String?
    public var hardware: HardwareInformation?

    public init(uuid: String, hostname: String? = nil, hardware: HardwareInformation? = nil) {
        self.uuid = uuid
        self.hostname = hostname
        self.hardware = hardware
    }
}

/// The agent API's operations, so the agent's steps can be tested against a fake.
public protocol AgentAPIClient: Sendable {
    func register(_ registration: Registration) async throws -> RegisterAnswer
    func reportAddresses(uuid: String, _ addresses: [NodeAddress]) async throws
    func heartbeat(uuid: String, progress: Double?) async throws
    func markWiped(uuid: String) async throws
    func reportBMC(uuid: String, _ report: BMCReport) async throws
}
