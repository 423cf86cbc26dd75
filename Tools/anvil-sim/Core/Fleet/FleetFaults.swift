/// The fraction of the fleet given each fault (docs/simulator.md "Faults"). Machine faults are
/// applied by ``Fleet``; BMC faults are carried for the BMC side (Tools/anvil-sim/Core/BMC).
public struct FleetFaults: Sendable, Equatable, Codable {
    // Machine side.
    public var agentDies: Double
    public var duplicateUUID: Double
    public var changingMAC: Double
    // BMC side.
    public var packetLoss: Double
    public var powerLie: Double
    public var slowBMC: Double
    public var frozenBMC: Double
    public var wrongPassword: Double

    public init(
        agentDies: Double = 0, duplicateUUID: Double = 0, changingMAC: Double = 0, packetLoss: Double = 0,
        powerLie: Double = 0, slowBMC: Double = 0, frozenBMC: Double = 0, wrongPassword: Double = 0
    ) {
        self.agentDies = agentDies
        self.duplicateUUID = duplicateUUID
        self.changingMAC = changingMAC
        self.packetLoss = packetLoss
        self.powerLie = powerLie
        self.slowBMC = slowBMC
        self.frozenBMC = frozenBMC
        self.wrongPassword = wrongPassword
    }

    /// Every fraction with its flag name, for validation messages.
    public var named: [(name: String, fraction: Double)] {
        [("fault-agent-dies", agentDies), ("fault-duplicate-uuid", duplicateUUID), ("fault-changing-mac", changingMAC),
         ("fault-packet-loss", packetLoss), ("fault-power-lie", powerLie), ("fault-slow-bmc", slowBMC),
         ("fault-frozen-bmc", frozenBMC), ("fault-wrong-password", wrongPassword)]
    }

    /// nil when every fraction is within 0…1; otherwise what is wrong.
    public var problem: String? {
        for (name, fraction) in named where !(0...1).contains(fraction) {
            return "--\(name) must be a fraction between 0 and 1, got \(fraction)"
        }
        return nil
    }
}
