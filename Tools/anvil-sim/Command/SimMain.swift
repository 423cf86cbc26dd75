import ArgumentParser
import SimulatorCore

/// `anvil-sim`: simulated servers on loopback (docs/simulator.md).
@main
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anvil-sim",
        abstract: "Simulates servers (IPMI BMCs, firmware, agent, installed OS) against a running Anvil.")

    func run() async throws {
        throw ValidationError("not built yet")
    }
}
