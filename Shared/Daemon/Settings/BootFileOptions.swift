import ArgumentParser
import Foundation

/// Where the boot file root is and where its iPXE binaries come from: tftpd serves it, bootd
/// offers it under `/tftp/`.
public struct BootFileOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("tftp-root"), help: "Boot file root served by tftpd and by bootd under /tftp/ (ANVIL_TFTP_ROOT; default <state>/tftp).")
    public var tftpRoot: String?

    @Option(name: .customLong("ipxe-dir"), help: "Directory the iPXE binaries are copied from into the boot file root (ANVIL_IPXE_DIR; default /usr/lib/ipxe).")
    public var ipxeDirectory: String?

    public func resolve(_ source: SettingSource, config: DaemonConfig) -> BootFileSettings {
        BootFileSettings(
            root: source.directory(flag: tftpRoot, name: "TFTP_ROOT") ?? config.stateDirectory.appendingPathComponent("tftp", isDirectory: true),
            ipxeDirectory: source.absoluteDirectory(source.string(flag: ipxeDirectory, name: "IPXE_DIR", default: "/usr/lib/ipxe")))
    }
}

public struct BootFileSettings: Sendable, Equatable {
    /// The boot file root.
    public var root: URL
    /// Debian's `ipxe` package directory, copied into the root at start.
    public var ipxeDirectory: URL

    public var summary: [String: String] { ["tftpRoot": root.path, "ipxeDirectory": ipxeDirectory.path] }
}
