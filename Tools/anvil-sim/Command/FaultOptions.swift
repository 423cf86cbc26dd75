import ArgumentParser
import SimulatorCore

/// Fault fractions (0…1 of the fleet each). The BMC ones are parsed and carried in
/// `FleetFaults` for the BMC side.
struct FaultOptions: ParsableArguments {
    @Option(help: "Fraction of servers whose agent dies halfway through the wipe.")
    var faultAgentDies = 0.0
    @Option(help: "Fraction of servers reporting another server's SMBIOS UUID.")
    var faultDuplicateUuid = 0.0
    @Option(help: "Fraction of servers whose boot NIC MAC changes on every boot.")
    var faultChangingMac = 0.0
    @Option(help: "Fraction of BMCs dropping IPMI packets.")
    var faultPacketLoss = 0.0
    @Option(help: "Fraction of BMCs lying about the power state.")
    var faultPowerLie = 0.0
    @Option(help: "Fraction of slow BMCs.")
    var faultSlowBmc = 0.0
    @Option(help: "Fraction of BMCs that stop answering.")
    var faultFrozenBmc = 0.0
    @Option(help: "Fraction of BMCs refusing the configured password.")
    var faultWrongPassword = 0.0

    var fleetFaults: FleetFaults {
        FleetFaults(
            agentDies: faultAgentDies, duplicateUUID: faultDuplicateUuid, changingMAC: faultChangingMac, packetLoss: faultPacketLoss,
            powerLie: faultPowerLie, slowBMC: faultSlowBmc, frozenBMC: faultFrozenBmc, wrongPassword: faultWrongPassword)
    }

    func check() throws {
        if let problem = fleetFaults.problem { throw ValidationError(problem) }
    }
}
