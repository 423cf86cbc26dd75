import ArgumentParser

/// Flags every daemon accepts. Each has an `ANVIL_*` environment variable; the SPEC §5 ones also
/// accept Sidero's `SIDERO_CONTROLLER_MANAGER_*` names. Resolved into `DaemonConfig`.
public struct DaemonOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .long, help: "State directory holding the database, the secrets key, run/ and logs/ (ANVIL_STATE; default ./.anvil).")
    public var state: String?

    @Option(name: .customLong("run-dir"), help: "Directory of bus sockets (ANVIL_RUN_DIR; default <state>/run).")
    public var runDir: String?

    @Option(name: .long, help: "Instance name, for several replicas of one daemon (ANVIL_INSTANCE).")
    public var instance: String?

    @Flag(name: .long, help: "Local mode, as under `anvil up`: unprivileged ports, loopback endpoint (ANVIL_LOCAL).")
    public var local: Bool = false

    @Option(name: .customLong("http-address"), help: "Address the HTTP listener binds (ANVIL_HTTP_ADDRESS; default 0.0.0.0, 127.0.0.1 in local mode).")
    public var httpAddress: String?

    @Option(name: .customLong("http-port"), help: "Port of this daemon's HTTP listener: /healthz, /metrics and its own endpoints (ANVIL_HTTP_PORT).")
    public var httpPort: String?

    @Option(name: .customLong("log-format"), help: "logfmt or json (ANVIL_LOG_FORMAT).")
    public var logFormat: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical (ANVIL_LOG_LEVEL).")
    public var logLevel: String?

    @Option(name: .customLong("api-endpoint"), help: "Address servers reach Anvil on (ANVIL_API_ENDPOINT, SIDERO_CONTROLLER_MANAGER_API_ENDPOINT); required outside local mode.")
    public var apiEndpoint: String?

    @Option(name: .customLong("api-port"), help: "Port servers reach Anvil's HTTP API on (ANVIL_API_PORT, SIDERO_CONTROLLER_MANAGER_API_PORT; default 8081).")
    public var apiPort: String?

    @Option(name: .customLong("tftp-port"), help: "TFTP UDP port (ANVIL_TFTP_PORT; default 69, 6969 in local mode).")
    public var tftpPort: String?

    @Option(name: .customLong("tftp-root"), help: "Boot file root served by tftpd and by bootd under /tftp/ (ANVIL_TFTP_ROOT; default <state>/tftp).")
    public var tftpRoot: String?

    @Option(name: .customLong("ipxe-dir"), help: "Directory the iPXE binaries are copied from into the boot file root (ANVIL_IPXE_DIR; default /usr/lib/ipxe).")
    public var ipxeDirectory: String?

    @Option(name: .customLong("auto-accept-servers"), help: "Accept discovered servers automatically (ANVIL_AUTO_ACCEPT_SERVERS, SIDERO_CONTROLLER_MANAGER_AUTO_ACCEPT_SERVERS; default false).")
    public var autoAcceptServers: String?

    @Option(name: .customLong("auto-bmc-setup"), help: "Set up BMC credentials in-band (ANVIL_AUTO_BMC_SETUP, SIDERO_CONTROLLER_MANAGER_AUTO_BMC_SETUP; default true).")
    public var autoBMCSetup: String?

    @Option(name: .customLong("insecure-wipe"), help: "Fast wipe: discard + zero the first MiB (ANVIL_INSECURE_WIPE, SIDERO_CONTROLLER_MANAGER_INSECURE_WIPE; default true).")
    public var insecureWipe: String?

    @Option(name: .customLong("server-reboot-timeout"), help: "Retry a reboot after this long without a heartbeat (ANVIL_SERVER_REBOOT_TIMEOUT, SIDERO_CONTROLLER_MANAGER_SERVER_REBOOT_TIMEOUT; default 20m).")
    public var serverRebootTimeout: String?

    @Option(name: .customLong("ipmi-pxe-method"), help: "uefi or bios (ANVIL_IPMI_PXE_METHOD, SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD; default uefi).")
    public var ipmiPXEMethod: String?

    @Option(name: .customLong("boot-from-disk-method"), help: "ipxe-exit, http-404 or ipxe-sanboot (ANVIL_BOOT_FROM_DISK_METHOD, SIDERO_CONTROLLER_MANAGER_BOOT_FROM_DISK_METHOD; default ipxe-exit).")
    public var bootFromDiskMethod: String?

    @Option(name: .customLong("extra-agent-kernel-args"), help: "Extra agent kernel args, overriding by key (ANVIL_EXTRA_AGENT_KERNEL_ARGS, SIDERO_CONTROLLER_MANAGER_EXTRA_AGENT_KERNEL_ARGS).")
    public var extraAgentKernelArgs: String?

    @Option(name: .customLong("metadata-port"), help: "Port servers reach metadatad's /configdata on, rendered into talos.config (ANVIL_METADATA_PORT; default 8082).")
    public var metadataPort: String?

    @Option(name: .customLong("machine-tokens"), help: "Require the per-server token bootd hands out on /configdata and the agent API (ANVIL_MACHINE_TOKENS; default true; false behaves like Sidero).")
    public var machineTokens: String?

    @Option(name: .customLong("agent-dir"), help: "Directory with agent-amd64/ and agent-arm64/, each holding the agent's vmlinuz and initramfs.xz (ANVIL_AGENT_DIR; default <state>/agent).")
    public var agentDirectory: String?

    @Option(name: .customLong("mark-pxebooted"), help: "When a server counts as installed: on-serve (when bootd serves its environment, Sidero v0.4) or on-install-report (when the OS reports it) (ANVIL_MARK_PXEBOOTED; default on-serve).")
    public var markPXEBooted: String?
}
