import AnvilBoot
import AnvilDaemon
import ArgumentParser

/// metadatad's flags beyond the common ones: machine tokens and what happens to servers the agent reports.
public struct MetadataOptions: ParsableArguments, Sendable {
    public init() {}

    @OptionGroup var machineTokens: MachineTokenOptions
    @OptionGroup var agentPolicy: AgentPolicyOptions
}

/// What metadatad's handlers need, resolved once at start.
public struct MetadataSettings: DaemonSettings {
    /// nil when machine tokens are turned off (Sidero-identical: anyone may ask).
    let tokenKey: MachineTokenKey?
    let tokens: MachineTokenPolicy
    let policy: AgentPolicy

    init(options: MetadataOptions, config: DaemonConfig, source: SettingSource) throws {
        tokens = try options.machineTokens.resolve(source)
        tokenKey = tokens.enabled ? try MachineTokenKey.loadOrCreate(stateDirectory: config.stateDirectory) : nil
        policy = try options.agentPolicy.resolve(source)
    }

    public var summary: [String: String] {
        policy.summary.merging(tokens.summary) { _, new in new }
    }
}
