import ArgumentParser
import Foundation

/// `anvil agent …`: the discovery agent's boot environment.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Build the discovery agent's boot environment (kernel + initramfs) that bootd serves.",
        subcommands: [AgentBuildCommand.self])
}

/// `anvil agent build`: a kernel and an initramfs whose `/init` is `anvil-agent` (docs/agent-build.md).
struct AgentBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Make vmlinuz + initramfs.xz for the agent from a Debian kernel and the anvil-agent binary.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Target architecture (only amd64 today).")
    var arch = "amd64"

    @Option(name: .customLong("kernel-from"), help: "debian (the current Debian kernel package, via apt-get download), a .deb file, or an extracted kernel package tree (boot/vmlinuz-*, lib/modules/<version>/).")
    var kernelFrom = "debian"

    @Flag(help: "Also put both files into <state>/agent/agent-<arch>/, where bootd serves them.")
    var install = false

    @Option(help: "Output directory (default <state>/agent/build/agent-<arch>/).")
    var output: String?

    @Option(name: .customLong("agent-binary"), help: "The agent executable (default: anvil-agent next to this anvil).")
    var agentBinary: String?

    func run() async throws {
        try await runCLI {
            guard let arch = AgentArch(rawValue: arch) else {
                throw CLIError("agent build: --arch \(arch): unknown (known: \(AgentArch.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard arch == .amd64 else {
                throw CLIError("agent build: --arch \(arch.rawValue) is not supported yet; only amd64 (the agent binary and its libraries come from this amd64 host)")
            }
            let agentDirectory = global.stateDirectory.appendingPathComponent("agent", isDirectory: true)
            let agent = try agentBinary.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? DaemonBinaries.path(of: "anvil-agent")
            let build = AgentBuild(
                arch: arch,
                kernelSource: AgentKernelSource(argument: kernelFrom),
                agentBinary: agent,
                outputDirectory: output.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL }
                    ?? agentDirectory.appendingPathComponent("build/agent-\(arch.rawValue)", isDirectory: true),
                installDirectory: install ? agentDirectory.appendingPathComponent("agent-\(arch.rawValue)", isDirectory: true) : nil,
                cacheDirectory: agentDirectory.appendingPathComponent("cache", isDirectory: true),
                modificationTime: Self.sourceDateEpoch())
            try build.run()
        }
    }

    /// SOURCE_DATE_EPOCH when set (reproducible-builds.org), else 0: the mtime of every entry.
    private static func sourceDateEpoch() -> UInt32 {
        ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { UInt32($0) } ?? 0
    }
}
