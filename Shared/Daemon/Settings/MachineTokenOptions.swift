import ArgumentParser

/// Whether `/configdata` and the agent API require the per-server token bootd hands out.
public struct MachineTokenOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("machine-tokens"), help: "Require the per-server token bootd hands out on /configdata and the agent API (ANVIL_MACHINE_TOKENS; default true; false behaves like Sidero).")
    public var machineTokens: String?

    public func resolve(_ source: SettingSource) throws -> Bool {
        try source.bool(flag: machineTokens, name: "MACHINE_TOKENS", default: true)
    }
}
