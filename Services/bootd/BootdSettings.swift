import AnvilBoot
import AnvilDaemon
import AnvilResources
import Foundation

/// What bootd's handlers need from the daemon's configuration, resolved once at start.
struct BootdSettings: Sendable {
    let endpoints: BootEndpoints
    let defaultDiskMethod: BootFromDiskMethod
    let extraAgentArguments: KernelArguments
    /// nil when machine tokens are turned off (Sidero-identical URLs).
    let tokenKey: MachineTokenKey?
    let environmentDirectory: URL
    let agentDirectory: URL
    /// Serving a target environment marks the server PXEBooted (Sidero v0.4) unless the OS's
    /// install report is the signal.
    let markPXEBootedOnServe: Bool

    init(config: DaemonConfig) throws {
        endpoints = BootEndpoints(
            apiEndpoint: config.apiEndpoint ?? "127.0.0.1", apiPort: config.apiPort, metadataPort: config.metadataPort)
        defaultDiskMethod = BootFromDiskMethod(rawValue: config.bootFromDiskMethod) ?? .ipxeExit
        extraAgentArguments = KernelArguments(commandLine: config.extraAgentKernelArgs)
        tokenKey = config.machineTokens ? try MachineTokenKey.loadOrCreate(stateDirectory: config.stateDirectory) : nil
        environmentDirectory = config.environmentDirectory
        agentDirectory = config.agentDirectory
        markPXEBootedOnServe = config.markPXEBooted == "on-serve"
    }

    func token(for uuid: String) -> String? {
        tokenKey?.token(for: uuid)
    }
}
