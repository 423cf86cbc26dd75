import AnvilDaemon
import ArgumentParser

/// Entry point: flags are wired here; the work lives in the daemon's own modules.
@main
struct ReconcilerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciler", abstract: "Anvil reconciler: \(DaemonDescriptor.reconciler.summary).")

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        try await Daemon.run(.reconciler, options: options)
    }
}
