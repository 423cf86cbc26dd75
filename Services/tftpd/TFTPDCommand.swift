import AnvilDaemon
import ArgumentParser

/// Entry point: flags are wired here; the work lives in the daemon's own modules.
@main
struct TFTPDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tftpd", abstract: "Anvil tftpd: \(DaemonDescriptor.tftpd.summary).")

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        try await Daemon.run(.tftpd, options: options)
    }
}
