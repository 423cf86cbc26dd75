import AnvilBoot
import AnvilDaemon

/// What metadatad's handlers need from the daemon's configuration, resolved once at start.
struct MetadataSettings: Sendable {
    /// nil when machine tokens are turned off (Sidero-identical: anyone may ask).
    let tokenKey: MachineTokenKey?
    let autoAcceptServers: Bool
    let autoBMCSetup: Bool
    let insecureWipe: Bool
    let rebootTimeout: Duration

    init(config: DaemonConfig) throws {
        tokenKey = config.machineTokens ? try MachineTokenKey.loadOrCreate(stateDirectory: config.stateDirectory) : nil
        autoAcceptServers = config.autoAcceptServers
        autoBMCSetup = config.autoBMCSetup
        insecureWipe = config.insecureWipe
        rebootTimeout = config.serverRebootTimeout
    }
}
