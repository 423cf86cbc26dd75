import ArgumentParser

/// Whether `/configdata` and the agent API require the boot-attempt token bootd hands out, and for
/// how long one is good (docs/security.md).
public struct MachineTokenOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("machine-tokens"), help: "Require the boot-attempt token bootd hands out on /configdata and the agent API (ANVIL_MACHINE_TOKENS; default true; false behaves like Sidero).")
    public var machineTokens: String?

    @Option(name: .customLong("token-window"), help: "How long after /ipxe a server may fetch its config with the token, and how long another address is refused the same server's install boot (ANVIL_TOKEN_WINDOW; default 30m).")
    public var tokenWindow: String?

    @Option(name: .customLong("agent-token-window"), help: "How long the discovery agent's token is good for, wipes included (ANVIL_AGENT_TOKEN_WINDOW; default 24h).")
    public var agentTokenWindow: String?

    public func resolve(_ source: SettingSource) throws -> MachineTokenPolicy {
        MachineTokenPolicy(
            enabled: try source.bool(flag: machineTokens, name: "MACHINE_TOKENS", default: true),
            window: try source.duration(flag: tokenWindow, name: "TOKEN_WINDOW", minimum: .seconds(10), default: .seconds(30 * 60)),
            agentWindow: try source.duration(flag: agentTokenWindow, name: "AGENT_TOKEN_WINDOW", minimum: .seconds(10), default: .seconds(24 * 3600)))
    }
}

/// Machine tokens, as resolved.
public struct MachineTokenPolicy: Sendable {
    public var enabled: Bool
    /// Install boots: `/ipxe` → `/configdata`.
    public var window: Duration
    /// Discovery boots: `/ipxe` → the agent's last call.
    public var agentWindow: Duration

    public init(enabled: Bool, window: Duration = .seconds(1800), agentWindow: Duration = .seconds(86400)) {
        self.enabled = enabled
        self.window = window
        self.agentWindow = agentWindow
    }

    public var summary: [String: String] {
        ["machineTokens": "\(enabled)", "tokenWindow": GoDuration.format(window), "agentTokenWindow": GoDuration.format(agentWindow)]
    }
}
