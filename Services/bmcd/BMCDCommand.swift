import AnvilDaemon
import ArgumentParser

/// Entry point: flags are wired here; the work lives in the daemon's own modules.
@main
struct BMCDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bmcd", abstract: "Anvil bmcd: \(DaemonDescriptor.bmcd.summary).")

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        try await Daemon.run(.bmcd, options: options)
    }
}
