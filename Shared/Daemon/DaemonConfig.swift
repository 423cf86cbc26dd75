import Foundation

/// Every setting a daemon runs with, after flags, `ANVIL_*` and Sidero aliases are resolved and checked.
public struct DaemonConfig: Sendable {
    public var service: String
    public var instance: String?
    public var stateDirectory: URL
    public var runDirectory: URL
    public var local: Bool
    public var httpAddress: String
    public var httpPort: Int
    public var logFormat: LogFormat
    public var logLevel: String
    public var apiEndpoint: String?
    public var apiPort: Int
    public var tftpPort: Int
    /// The boot file root tftpd serves and bootd offers under `/tftp/`.
    public var tftpRoot: URL
    /// Where the iPXE binaries copied into the root come from (Debian's `ipxe` package).
    public var ipxeDirectory: URL
    public var autoAcceptServers: Bool
    public var autoBMCSetup: Bool
    public var insecureWipe: Bool
    public var serverRebootTimeout: Duration
    public var ipmiPXEMethod: String
    public var bootFromDiskMethod: String
    public var extraAgentKernelArgs: String
    public var metadataPort: Int
    public var machineTokens: Bool
    /// Agent kernels and initramfs, `<dir>/agent-<arch>/{vmlinuz,initramfs.xz}`.
    public var agentDirectory: URL
    /// Downloaded environment assets, `<state>/env/<name>/{vmlinuz,initramfs.xz}`.
    public var environmentDirectory: URL { stateDirectory.appendingPathComponent("env", isDirectory: true) }
    public var markPXEBooted: String

    public static let markPXEBootedChoices = ["on-serve", "on-install-report"]

    public static let bootFromDiskMethods = ["ipxe-exit", "http-404", "ipxe-sanboot"]
    public static let ipmiPXEMethods = ["uefi", "bios"]
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The name this instance answers to on the bus: `<service>` or `<service>-<instance>`.
    public var busName: String { instance.map { "\(service)-\($0)" } ?? service }

    public init(
        descriptor: DaemonDescriptor, options: DaemonOptions,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws {
        let source = SettingSource(environment: environment)
        service = descriptor.name
        instance = source.optionalString(flag: options.instance, name: "INSTANCE")
        if let instance, instance.isEmpty || !instance.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
            throw SettingError(origin: "--instance", value: instance, expected: "letters, digits and '-'")
        }
        local = try source.bool(flag: options.local ? "true" : nil, name: "LOCAL", default: false)
        let base = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        let state = source.string(flag: options.state, name: "STATE", default: ".anvil")
        stateDirectory = URL(fileURLWithPath: state, isDirectory: true, relativeTo: base).standardizedFileURL
        let run = source.optionalString(flag: options.runDir, name: "RUN_DIR")
        runDirectory = run.map { URL(fileURLWithPath: $0, isDirectory: true, relativeTo: base).standardizedFileURL }
            ?? stateDirectory.appendingPathComponent("run", isDirectory: true)
        httpAddress = source.string(flag: options.httpAddress, name: "HTTP_ADDRESS", default: local ? "127.0.0.1" : "0.0.0.0")
        httpPort = try source.port(
            flag: options.httpPort, name: descriptor.httpPortAliasesSidero ? "CONTAINER_API_PORT" : "HTTP_PORT",
            sideroAlias: descriptor.httpPortAliasesSidero, default: descriptor.defaultHTTPPort)
        if descriptor.httpPortAliasesSidero, options.httpPort == nil, let explicit = environment["ANVIL_HTTP_PORT"] {
            httpPort = try source.port(flag: explicit, name: "HTTP_PORT", default: descriptor.defaultHTTPPort)
        }
        let format = source.string(flag: options.logFormat, name: "LOG_FORMAT", default: "logfmt")
        guard let logFormat = LogFormat(rawValue: format) else {
            throw SettingError(origin: "--log-format", value: format, expected: "one of logfmt, json")
        }
        self.logFormat = logFormat
        logLevel = try source.choice(flag: options.logLevel, name: "LOG_LEVEL", allowed: Self.logLevels, default: "info")
        apiEndpoint = source.optionalString(flag: options.apiEndpoint, name: "API_ENDPOINT", sideroAlias: true)
            ?? (local ? "127.0.0.1" : nil)
        if descriptor.needsAPIEndpoint, apiEndpoint == nil {
            throw MissingSettingError(
                message: "the API endpoint is required: give the address servers reach Anvil on with --api-endpoint, ANVIL_API_ENDPOINT or SIDERO_CONTROLLER_MANAGER_API_ENDPOINT, or run in local mode (--local)")
        }
        apiPort = try source.port(flag: options.apiPort, name: "API_PORT", sideroAlias: true, default: 8081)
        tftpPort = try source.port(flag: options.tftpPort, name: "TFTP_PORT", default: local ? 6969 : 69)
        tftpRoot = source.optionalString(flag: options.tftpRoot, name: "TFTP_ROOT")
            .map { URL(fileURLWithPath: $0, isDirectory: true, relativeTo: base).standardizedFileURL }
            ?? stateDirectory.appendingPathComponent("tftp", isDirectory: true)
        ipxeDirectory = URL(
            fileURLWithPath: source.string(flag: options.ipxeDirectory, name: "IPXE_DIR", default: "/usr/lib/ipxe"),
            isDirectory: true, relativeTo: base).standardizedFileURL
        autoAcceptServers = try source.bool(flag: options.autoAcceptServers, name: "AUTO_ACCEPT_SERVERS", sideroAlias: true, default: false)
        autoBMCSetup = try source.bool(flag: options.autoBMCSetup, name: "AUTO_BMC_SETUP", sideroAlias: true, default: true)
        insecureWipe = try source.bool(flag: options.insecureWipe, name: "INSECURE_WIPE", sideroAlias: true, default: true)
        serverRebootTimeout = try source.duration(
            flag: options.serverRebootTimeout, name: "SERVER_REBOOT_TIMEOUT", sideroAlias: true, default: .seconds(20 * 60))
        ipmiPXEMethod = try source.choice(
            flag: options.ipmiPXEMethod, name: "IPMI_PXE_METHOD", sideroAlias: true, allowed: Self.ipmiPXEMethods, default: "uefi")
        bootFromDiskMethod = try source.choice(
            flag: options.bootFromDiskMethod, name: "BOOT_FROM_DISK_METHOD", sideroAlias: true,
            allowed: Self.bootFromDiskMethods, default: "ipxe-exit")
        extraAgentKernelArgs = source.string(
            flag: options.extraAgentKernelArgs, name: "EXTRA_AGENT_KERNEL_ARGS", sideroAlias: true, default: "")
        metadataPort = try source.port(flag: options.metadataPort, name: "METADATA_PORT", default: 8082)
        machineTokens = try source.bool(flag: options.machineTokens, name: "MACHINE_TOKENS", default: true)
        agentDirectory = source.optionalString(flag: options.agentDirectory, name: "AGENT_DIR")
            .map { URL(fileURLWithPath: $0, isDirectory: true, relativeTo: base).standardizedFileURL }
            ?? stateDirectory.appendingPathComponent("agent", isDirectory: true)
        markPXEBooted = try source.choice(
            flag: options.markPXEBooted, name: "MARK_PXEBOOTED", allowed: Self.markPXEBootedChoices, default: "on-serve")
    }

    /// The settings as shown by `service.info` (nothing secret lives here).
    public var summary: [String: String] {
        [
            "state": stateDirectory.path, "runDir": runDirectory.path, "local": "\(local)",
            "httpAddress": httpAddress, "httpPort": "\(httpPort)", "apiEndpoint": apiEndpoint ?? "",
            "apiPort": "\(apiPort)", "tftpPort": "\(tftpPort)", "tftpRoot": tftpRoot.path, "ipxeDirectory": ipxeDirectory.path, "autoAcceptServers": "\(autoAcceptServers)",
            "autoBMCSetup": "\(autoBMCSetup)", "insecureWipe": "\(insecureWipe)",
            "serverRebootTimeout": GoDuration.format(serverRebootTimeout), "ipmiPXEMethod": ipmiPXEMethod,
            "bootFromDiskMethod": bootFromDiskMethod, "extraAgentKernelArgs": extraAgentKernelArgs,
            "metadataPort": "\(metadataPort)", "machineTokens": "\(machineTokens)", "agentDirectory": agentDirectory.path,
            "markPXEBooted": markPXEBooted,
        ]
    }
}
