import ArgumentParser

/// How long a wipe may take without a heartbeat before the reconciler reboots the server again;
/// metadatad tells the agent the same figure.
public struct RebootTimeoutOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("server-reboot-timeout"), help: "Retry a reboot after this long without a heartbeat (ANVIL_SERVER_REBOOT_TIMEOUT, SIDERO_CONTROLLER_MANAGER_SERVER_REBOOT_TIMEOUT; default 20m).")
    public var serverRebootTimeout: String?

    public func resolve(_ source: SettingSource) throws -> Duration {
        try source.duration(
            flag: serverRebootTimeout, name: "SERVER_REBOOT_TIMEOUT", sideroAlias: true, minimum: .seconds(1), default: .seconds(20 * 60))
    }
}
