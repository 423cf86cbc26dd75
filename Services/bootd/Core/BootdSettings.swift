import AnvilBoot
import AnvilDaemon
import AnvilResources
import Foundation

/// What bootd's handlers need, resolved once at start.
public struct BootdSettings: DaemonSettings {
    static let markPXEBootedChoices = ["on-serve", "on-install-report"]

    let bootFiles: BootFileSettings
    let endpoints: BootEndpoints
    let defaultDiskMethod: BootFromDiskMethod
    let extraAgentArguments: KernelArguments
    /// nil when machine tokens are turned off (Sidero-identical URLs).
    let tokenKey: MachineTokenKey?
    let tokens: MachineTokenPolicy
    /// A known server's `/ipxe` from a MAC none of its discovered NICs has gets no token.
    let checkMAC: Bool
    let environmentDirectory: URL
    let agentDirectory: URL
    /// Serving a target environment marks the server PXEBooted (Sidero v0.4) unless the OS's
    /// install report is the signal.
    let markPXEBootedOnServe: Bool

    init(options: BootdOptions, config: DaemonConfig, source: SettingSource) throws {
        bootFiles = options.bootFiles.resolve(source, config: config)
        let endpoints = try options.endpoints.resolve(source, config: config)
        self.endpoints = BootEndpoints(apiEndpoint: endpoints.apiEndpoint, apiPort: endpoints.apiPort, metadataPort: endpoints.metadataPort)
        let method = try source.choice(
            flag: options.bootFromDiskMethod, name: "BOOT_FROM_DISK_METHOD", sideroAlias: true,
            allowed: BootFromDiskMethod.allCases.map(\.rawValue), default: BootFromDiskMethod.ipxeExit.rawValue)
        defaultDiskMethod = BootFromDiskMethod(rawValue: method) ?? .ipxeExit
        extraAgentArguments = KernelArguments(commandLine: source.string(
            flag: options.extraAgentKernelArgs, name: "EXTRA_AGENT_KERNEL_ARGS", sideroAlias: true, default: ""))
        tokens = try options.machineTokens.resolve(source)
        tokenKey = tokens.enabled ? try MachineTokenKey.loadOrCreate(stateDirectory: config.stateDirectory) : nil
        environmentDirectory = config.environmentDirectory
        agentDirectory = source.directory(flag: options.agentDirectory, name: "AGENT_DIR")
            ?? config.stateDirectory.appendingPathComponent("agent", isDirectory: true)
        checkMAC = try source.bool(flag: options.checkMAC, name: "CHECK_MAC", default: true)
        markPXEBootedOnServe = try source.choice(
            flag: options.markPXEBooted, name: "MARK_PXEBOOTED", allowed: Self.markPXEBootedChoices, default: "on-serve") == "on-serve"
    }

    public var summary: [String: String] {
        bootFiles.summary.merging([
            "apiEndpoint": endpoints.apiEndpoint, "apiPort": "\(endpoints.apiPort)", "metadataPort": "\(endpoints.metadataPort)",
            "bootFromDiskMethod": defaultDiskMethod.rawValue, "extraAgentKernelArgs": extraAgentArguments.arguments.joined(separator: " "),
            "checkMAC": "\(checkMAC)", "agentDirectory": agentDirectory.path,
            "markPXEBooted": markPXEBootedOnServe ? "on-serve" : "on-install-report",
        ]) { _, new in new }.merging(tokens.summary) { _, new in new }
    }
}
