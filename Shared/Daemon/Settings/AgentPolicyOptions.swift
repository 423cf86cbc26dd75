import ArgumentParser

/// What happens to a server the agent reports: Sidero's accept, BMC set-up, wipe and reboot-timeout settings.
public struct AgentPolicyOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("auto-accept-servers"), help: "Accept discovered servers automatically (ANVIL_AUTO_ACCEPT_SERVERS, SIDERO_CONTROLLER_MANAGER_AUTO_ACCEPT_SERVERS; default false).")
    public var autoAcceptServers: String?

    @Option(name: .customLong("auto-bmc-setup"), help: "Set up BMC credentials in-band (ANVIL_AUTO_BMC_SETUP, SIDERO_CONTROLLER_MANAGER_AUTO_BMC_SETUP; default true).")
    public var autoBMCSetup: String?

    @Option(name: .customLong("bmc-setup-at"), help: "When the agent sets up BMC credentials in band: acceptance (Sidero: only for an accepted server, after its wipe) or discovery (also at registration before acceptance, as MAAS does at enlistment, so `anvil accept` can power-cycle the server through its BMC at once) (ANVIL_BMC_SETUP_AT; default acceptance).")
    public var bmcSetupAt: String?

    @Option(name: .customLong("insecure-wipe"), help: "Fast wipe: discard, then zero the first and last MiB (ANVIL_INSECURE_WIPE, SIDERO_CONTROLLER_MANAGER_INSECURE_WIPE; default true).")
    public var insecureWipe: String?

    @OptionGroup public var rebootTimeout: RebootTimeoutOptions

    public func resolve(_ source: SettingSource) throws -> AgentPolicy {
        AgentPolicy(
            autoAcceptServers: try source.bool(flag: autoAcceptServers, name: "AUTO_ACCEPT_SERVERS", sideroAlias: true, default: false),
            autoBMCSetup: try source.bool(flag: autoBMCSetup, name: "AUTO_BMC_SETUP", sideroAlias: true, default: true),
            insecureWipe: try source.bool(flag: insecureWipe, name: "INSECURE_WIPE", sideroAlias: true, default: true),
            serverRebootTimeout: try rebootTimeout.resolve(source),
            bmcSetupAtDiscovery: try source.choice(
                flag: bmcSetupAt, name: "BMC_SETUP_AT", allowed: ["acceptance", "discovery"], default: "acceptance") == "discovery")
    }
}

public struct AgentPolicy: Sendable, Equatable {
    public var autoAcceptServers: Bool
    public var autoBMCSetup: Bool
    public var insecureWipe: Bool
    public var serverRebootTimeout: Duration
    /// BMC set-up also for servers not accepted yet (`--bmc-setup-at discovery`).
    public var bmcSetupAtDiscovery = false

    public var summary: [String: String] {
        [
            "autoAcceptServers": "\(autoAcceptServers)", "autoBMCSetup": "\(autoBMCSetup)", "insecureWipe": "\(insecureWipe)",
            "serverRebootTimeout": GoDuration.format(serverRebootTimeout),
            "bmcSetupAt": bmcSetupAtDiscovery ? "discovery" : "acceptance",
        ]
    }
}
