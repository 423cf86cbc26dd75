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
    let policy: AgentPolicy

    init(options: MetadataOptions, config: DaemonConfig, source: SettingSource) throws {
        let tokens = try options.machineTokens.resolve(source)
        tokenKey = tokens ? try MachineTokenKey.loadOrCreate(stateDirectory: config.stateDirectory) : nil
        policy = try options.agentPolicy.resolve(source)
    }

    public var summary: [String: String] {
        policy.summary.merging(["machineTokens": "\(tokenKey != nil)"]) { _, new in new }
    }
}
