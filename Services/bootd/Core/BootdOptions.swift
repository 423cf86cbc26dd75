import AnvilDaemon
import ArgumentParser

/// bootd's flags beyond the common ones: the boot file root, the endpoints it renders into
/// scripts, machine tokens, and its own.
public struct BootdOptions: ParsableArguments, Sendable {
    public init() {}

    @OptionGroup var bootFiles: BootFileOptions
    @OptionGroup var endpoints: EndpointOptions
    @OptionGroup var machineTokens: MachineTokenOptions

    @Option(name: .customLong("boot-from-disk-method"), help: "ipxe-exit, http-404 or ipxe-sanboot (ANVIL_BOOT_FROM_DISK_METHOD, SIDERO_CONTROLLER_MANAGER_BOOT_FROM_DISK_METHOD; default ipxe-exit).")
    var bootFromDiskMethod: String?

    @Option(name: .customLong("extra-agent-kernel-args"), help: "Extra agent kernel args, overriding by key (ANVIL_EXTRA_AGENT_KERNEL_ARGS, SIDERO_CONTROLLER_MANAGER_EXTRA_AGENT_KERNEL_ARGS).")
    var extraAgentKernelArgs: String?

    @Option(name: .customLong("agent-dir"), help: "Directory with agent-amd64/ and agent-arm64/, each holding the agent's vmlinuz and initramfs.xz (ANVIL_AGENT_DIR; default <state>/agent).")
    var agentDirectory: String?

    @Option(name: .customLong("check-mac"), help: "Refuse /ipxe (no environment, no token; Warning event UnknownMAC) for a known server asking from a MAC none of its discovered NICs has; false for sites that swap NICs (ANVIL_CHECK_MAC; default true).")
    var checkMAC: String?

    @Option(name: .customLong("mark-pxebooted"), help: "When a server counts as installed: on-serve (when bootd serves its environment, Sidero v0.4) or on-install-report (when the OS reports it) (ANVIL_MARK_PXEBOOTED; default on-serve).")
    var markPXEBooted: String?
}
