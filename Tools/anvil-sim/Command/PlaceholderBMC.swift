import SimulatorCore

/// The BMC each machine is given until the IPMI BMC host (Tools/anvil-sim/Core/BMC) is wired in:
/// an address beside the machine's (127.78.x.y:623) with fixed credentials. Nothing answers there
/// yet, so Anvil's power calls fail; `--power-on` drives the machines meanwhile.
enum PlaceholderBMC {
    static let factory: BMCEndpointFactory = { index, _ in
        SimulatedBMCEndpoint(host: "127.78.\(index / 250).\(index % 250 + 1)", port: 623, user: "admin", password: "password")
    }
}
